"""Complaints: choosing the way, routing by legal regime, deadlines, the status timeline, reporting."""
