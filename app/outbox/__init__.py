"""The outbox: events for the municipality, written in the same transaction as the change they report (every feature
emits; the sync package sends them)."""
