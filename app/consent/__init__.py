"""Consent for help to a youth (Jeugdwet age rules) and the review at sixteen."""
