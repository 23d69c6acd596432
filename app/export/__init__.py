"""Taking the plan along: print, PDF and FHIR."""
