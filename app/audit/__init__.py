"""The access log (NEN 7513 style): who saw or changed what, and the family's own view of it."""
