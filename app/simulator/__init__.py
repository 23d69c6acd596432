"""The municipality's backoffice, simulated for development, demos and tests (`flask municipality simulate`).

A small WSGI app of its own, not part of Ons Plan: it receives our events, checks their bearer token and validates
every payload against the published JSON Schema, issues client-credentials tokens in demo mode, answers assignment
requests through our inbound API, and can be told to fail.
"""
