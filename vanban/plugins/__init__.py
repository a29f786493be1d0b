"""Datasette plugins of the vanban site.

``site.py`` holds the hook implementations; the other modules are plain helpers it
imports (Datasette's ``--plugins-dir`` registers every ``*.py`` here, and modules without
hooks register as nothing). Keep hook-free code out of ``site.py``.
"""
