"""vanban: the CLI, ingest and watch, exports, the scorer and the Datasette site."""

import schema  # noqa: F401  # first: sqlite-utils without pandas (see schema/__init__.py)
