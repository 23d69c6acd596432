"""The gezinsplan: one plan per family."""
