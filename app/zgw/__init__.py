"""The optional ZGW adapter: plans and complaints registered as Zaken in the municipality's Zaken API (ZRC)."""
