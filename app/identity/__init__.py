"""Identity: people, families, organisations, memberships and roles."""
