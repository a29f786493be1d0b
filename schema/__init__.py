"""SQLite schema, loading and queries of the vanban database."""

import sys


def _import_sqlite_utils_without_dataframes() -> None:
    """sqlite-utils imports pandas and numpy when they are installed, only to map their
    scalar types to column types — values vanban never stores. That is ~0.5 s of every
    command's start (a no-op re-ingest is 0.4 s of work), so it is imported with both
    hidden; they stay importable afterwards for whoever needs them."""
    if "sqlite_utils" in sys.modules:
        return
    hidden = [m for m in ("pandas", "numpy") if m not in sys.modules]
    for m in hidden:
        sys.modules[m] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for m in hidden:
            del sys.modules[m]


_import_sqlite_utils_without_dataframes()
