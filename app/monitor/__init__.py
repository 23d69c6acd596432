"""The monitor: monthly figures for municipality staff (aggregates only, small cells suppressed)."""
