"""Judging the result per goal (the 50/50 result financing) and the national outcome items."""
