"""Sync with the municipality: the transactional outbox (delivery comes with the sync issue)."""
