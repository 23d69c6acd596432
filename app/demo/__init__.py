"""Demo mode: the made-up family of PRODUCT.md and a persona picker (only when DEMO is on)."""
