"""Reading the files kcheck checks, turning bytes into the text the facts layer parses.

`python` decodes `.py` files (PEP 263 coding lines, size and NUL-byte limits); `notebook` turns
a Jupyter notebook's code cells into one module, maps its lines back to cells, and writes
changed cells back into the file. Nothing in this package imports the rest of kcheck.
"""
