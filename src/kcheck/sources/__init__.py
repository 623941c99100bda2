"""Reading the files kcheck checks, turning bytes into the text the facts layer parses.

`python` decodes `.py` files (PEP 263 coding lines, size and NUL-byte limits). Other kinds of
source — notebooks — get a module of their own here. Nothing in this package imports the rest
of kcheck.
"""
