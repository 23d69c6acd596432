"""The inbound API for the municipality under /api/v1: catalog, assignment decisions, care start/stop, plan status."""
