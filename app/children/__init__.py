"""The plan in children's and young people's own words: the child view (Drie Huizen) under 12, "my plan" from 12."""
