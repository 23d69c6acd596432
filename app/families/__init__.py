"""Families: opening one, its page with members and invitations, and its access log."""
