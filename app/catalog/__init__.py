"""The Jeugdhulpcatalogus: providers, offers, search, import, compare."""
