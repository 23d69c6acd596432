"""Signing in and out through OpenID Connect (or the demo), and who a login identity is."""
