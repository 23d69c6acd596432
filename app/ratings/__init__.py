"""Ratings of the help: the family rates, the redactie checks, the provider replies, the catalog shows figures."""
