"""A package whose module uses a relative import."""
