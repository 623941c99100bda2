# runtime: ok
"""Django-style ORM model: `models.Model` is a local stand-in for django.db.models, not Keras."""


class _OrmModel:
    def save(self, *args, **kwargs):
        return None


class models:  # stand-in for `from django.db import models`
    Model = _OrmModel


class Article(models.Model):
    def __init__(self, title, author=None, tags=()):
        self.title = title
        self.author = author
        self.tags = list(tags)

    def build(self, input_shape, units=4):
        return (input_shape, units)


def example():
    return Article("t", author=Article("nested"))
