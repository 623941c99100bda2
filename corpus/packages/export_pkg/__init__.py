"""A src/ layout whose export decorator factory registers the classes (see src/layer.py)."""
