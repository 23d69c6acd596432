"""Shared building blocks: database access, domain errors, clock and ids."""
