"""The home page: who you are, your families and their plans, or how to start."""
