"""Serving the database as the vanban Datasette site.

The site is Datasette with configuration: the metadata file, the plugins directory, the
templates and static files of this package, and settings that keep pages fast on large
databases (no facet suggestions, a moderate facet time limit). :func:`datasette_args`
gives the command line; :func:`serve` runs it in this process.

The database is served mutable (not ``-i``) by default, so it stays readable while
``vanban ingest`` writes to it (WAL); ``immutable=True`` suits a published snapshot and
lets Datasette use ``inspect`` counts instead of counting rows.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
METADATA = PACKAGE / "metadata.yaml"
PLUGINS = PACKAGE / "plugins"
TEMPLATES = PACKAGE / "templates"
STATIC = PACKAGE / "static"

SETTINGS: dict[str, str] = {
    "suggest_facets": "off",          # suggestions cost ~650 ms a page at 1M rows
    "facet_time_limit_ms": "400",     # real facets get time, but a page stays under ~1 s
    "facet_suggest_time_limit_ms": "50",
    "sql_time_limit_ms": "3000",
    "default_facet_size": "15",
    "default_page_size": "50",
    "max_returned_rows": "1000",
    "allow_download": "off",          # the database file itself is not for download
    "default_cache_ttl": "0",         # data changes while ingest runs
}


def datasette_args(db_path: str | Path, port: int = 8001, host: str = "127.0.0.1", *,
                   immutable: bool = False, inspect_file: str | Path | None = None
                   ) -> list[str]:
    """Arguments of ``datasette serve`` (without the ``serve``) for the vanban site."""
    args = ["-i" if immutable else "", str(db_path)]
    args = [a for a in args if a]
    args += ["--host", host, "--port", str(port),
             "--metadata", str(METADATA), "--plugins-dir", str(PLUGINS),
             "--template-dir", str(TEMPLATES), "--static", f"vanban-static:{STATIC}"]
    for name, value in SETTINGS.items():
        args += ["--setting", name, value]
    if inspect_file:
        args += ["--inspect-file", str(inspect_file)]
    return args


def serve(db_path: str | Path, port: int = 8001, host: str = "127.0.0.1", *,
          immutable: bool = False, inspect_file: str | Path | None = None) -> None:
    """Serve ``db_path`` as the vanban site until interrupted (blocks)."""
    from datasette.cli import cli as datasette_cli

    if not Path(db_path).exists():
        raise FileNotFoundError(f"no database at {db_path}")
    args = datasette_args(db_path, port, host, immutable=immutable,
                          inspect_file=inspect_file)
    datasette_cli.main(["serve", *args], prog_name="datasette", standalone_mode=True)
