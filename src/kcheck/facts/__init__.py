"""The facts layer: what a module and its classes are, read once from the source with libcst.

Imports, classes, methods, config dicts, registrations and constructor calls of one module
(`module`), resolved across the checked tree (`project`). Rules read only from this layer; nothing
here imports rules, fixes, the engine, the verifier, formats or the front doors.
"""
