"""kcheck: find Keras serialization mistakes before load_model does."""

__version__ = "0.1.0"
