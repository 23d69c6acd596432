"""Shared web plumbing: rendering, errors, security headers, languages, PWA and health."""
