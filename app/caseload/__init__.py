"""The provider's work list (Karin's home): every goal assigned to her organisation, its status and who handles it."""
