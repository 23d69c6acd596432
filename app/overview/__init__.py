"""The professional's overview of their families (their caseload)."""
