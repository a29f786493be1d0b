"""Facets of the task list: precomputed, from columns in memory, or counted live.

Datasette's column facet groups the filtered rows once per facet column: seven facets on a
million tasks is seven scans, seconds per page. This facet type ("counted" in
metadata.yaml) answers in three ways:

* no filter, or one "facet column = value" filter (the pages people open, and the ones a
  click on a facet value leads to): the rows of ``task_list_counts``, kept by ingest;
* several such filters: :class:`schema.tasklist.FacetColumns`, the facet columns as
  integer codes in memory — loaded in the background at start-up and again after the
  list changed (its version moved), used only while exact;
* anything else (a search, a ``_where``, a filter on another column, or while the copy
  is being reloaded): the filtered rows counted in one statement, within twice the facet
  time limit.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import Counter
from typing import Any

from datasette import hookimpl
from datasette.facets import ColumnFacet
from datasette.utils import (
    escape_sqlite,
    path_with_added_args,
    path_with_removed_args,
    sqlite_timelimit,
)

from schema.tasklist import FACETS, FacetColumns, facet_counts, version

log = logging.getLogger(__name__)

COUNTED_TABLES = ("task_list",)
# query-string arguments that change what is shown, not which rows
_PRESENTATION = {"_sort", "_sort_desc", "_next", "_size", "_nofacet", "_nocount",
                 "_nosuggest", "_col", "_nocol", "_labels", "_nolabels", "_trace",
                 "_shape", "_json", "_stream", "_dl", "_timelimit", "_facet_size"}


def equality_filters(table: str | None, pairs: list[tuple[str, str]]
                     ) -> list[tuple[str, str]] | None:
    """The (column, value) filters of a task list page when every filter is an equality
    on a facet column (none at all: []); None when the rows are chosen otherwise."""
    if table not in COUNTED_TABLES:
        return None
    found: list[tuple[str, str]] = []
    for key, value in pairs:
        if key.startswith("_"):
            if key.startswith("_facet") or key in _PRESENTATION:
                continue
            return None
        column, op = key.rsplit("__", 1) if "__" in key else (key, "exact")
        if op != "exact" or column not in FACETS:
            return None
        found.append((column, value))
    return found


def precomputed_filter(table: str | None, pairs: list[tuple[str, str]]
                       ) -> tuple[str, str] | None:
    """("", "") for a task list page without filters, (column, value) for one with a
    single equality filter on a facet column; None when the counts must be computed."""
    found = equality_filters(table, pairs)
    if found is None or len(found) > 1:
        return None
    return found[0] if found else ("", "")


# --- facet columns in memory, per database file ----------------------------------------

RELOAD_EVERY_S = 30.0
_columns: dict[str, FacetColumns] = {}
_loading: set[str] = set()
_started: dict[str, float] = {}
_lock = threading.Lock()


def _load(path: str) -> None:
    try:
        cols = FacetColumns.load(path)
        with _lock:
            _columns[path] = cols
    except Exception:  # noqa: BLE001 - the live counts still answer
        log.exception("could not load the task list's facet columns from %s", path)
    finally:
        with _lock:
            _loading.discard(path)


def start_loading(path: str) -> None:
    """Load (again) the facet columns of ``path`` in a background thread — at most once
    per ``RELOAD_EVERY_S`` (while an ingest writes, the version moves with each document;
    pages in between are counted from the rows)."""
    with _lock:
        now = time.monotonic()
        if path in _loading or now - _started.get(path, -RELOAD_EVERY_S) < RELOAD_EVERY_S:
            return
        _loading.add(path)
        _started[path] = now
    threading.Thread(target=_load, args=(path,), daemon=True,
                     name="vanban-facet-columns").start()


async def current_columns(datasette, database: str) -> FacetColumns | None:
    """The in-memory columns if they match the database now; else None (and a reload)."""
    db = datasette.get_database(database)
    if not db.path:
        return None
    try:
        now = await db.execute_fn(version)
    except sqlite3.Error:  # an older database without the task list
        return None
    cols = _columns.get(db.path)
    if cols is not None and cols.version == now:
        return cols
    start_loading(db.path)
    return None


class CountedFacet(ColumnFacet):
    type = "counted"

    async def _precomputed(self, where: tuple[str, str], column: str, limit: int
                           ) -> list[tuple[Any, int]]:
        return await self.ds.get_database(self.database).execute_fn(
            lambda conn: facet_counts(conn, column, limit, *where))

    async def _live(self, columns: list[str]) -> list[Counter] | None:
        """Counts of every column over the filtered rows, in one statement (Datasette's
        column facet runs one per column); None when it exceeds its time limit.

        When an index covers the filter and every facet column (an agency's page with a
        second filter), SQLite groups each column straight from the index; otherwise one
        pass fetches the rows once and Python counts them (grouping seven times would
        look every row up seven times)."""
        cols = [escape_sqlite(c) for c in columns]
        one_pass = f"select {', '.join(cols)} from ({self.sql})"
        grouped = " UNION ALL ".join(
            f"select {i}, {c}, count(*) from ({self.sql}) where {c} is not null group by {c}"
            for i, c in enumerate(cols))
        limit_ms = int(self.ds.setting("facet_time_limit_ms")) * 2
        params = self.params

        def count(conn: sqlite3.Connection) -> list[Counter]:
            counters: list[Counter] = [Counter() for _ in columns]
            plan = " ".join(r[-1] for r in conn.execute(f"explain query plan {one_pass}",
                                                        params))
            if "COVERING INDEX" in plan:
                for i, value, n in conn.execute(grouped, params):
                    counters[i][value] = n
                return counters
            cur = conn.execute(one_pass, params)
            while chunk := cur.fetchmany(10_000):
                columns_of_chunk = zip(*chunk, strict=True)
                for counter, values in zip(counters, columns_of_chunk, strict=True):
                    counter.update(values)  # counted in C
            for counter in counters:
                counter.pop(None, None)
            return counters

        def run(conn: sqlite3.Connection) -> list[Counter]:
            # Datasette decodes text with a Python lambda and builds Row objects: plain
            # tuples of str are several times faster over tens of thousands of rows
            factories = conn.text_factory, conn.row_factory
            conn.text_factory, conn.row_factory = str, None
            try:
                with sqlite_timelimit(conn, limit_ms):
                    return count(conn)
            finally:
                conn.text_factory, conn.row_factory = factories

        try:
            return await self.ds.get_database(self.database).execute_fn(run)
        except sqlite3.OperationalError as e:
            if "interrupted" in str(e):
                return None
            raise

    async def facet_results(self):
        results, timed_out = [], []
        pairs = self.get_querystring_pairs()
        size = self.get_facet_size()
        configs = self.get_configs()
        columns = [c["config"].get("column") or c["config"]["simple"] for c in configs]
        filters = equality_filters(self.table, pairs)
        where = precomputed_filter(self.table, pairs)
        in_memory = None
        if where is None and filters and columns:
            cols = await current_columns(self.ds, self.database)
            if cols is not None:
                in_memory = cols.counts(filters, columns, size + 1)
        live = None
        if where is None and in_memory is None and columns:
            live = await self._live(columns)
        for i, (source_and_config, column) in enumerate(zip(configs, columns, strict=True)):
            if where is not None:
                rows = await self._precomputed(where, column, size + 1)
            elif in_memory is not None:
                rows = in_memory[column]
            elif live is None:
                timed_out.append(column)
                continue
            else:
                rows = sorted(live[i].items(), key=lambda kv: (-kv[1], str(kv[0])))
                rows = rows[:size + 1]
            values = []
            for value, count in rows[:size]:
                selected = (column, str(value)) in pairs
                toggle = (path_with_removed_args(self.request, {column: str(value)})
                          if selected else
                          path_with_added_args(self.request, {column: value}))
                values.append({"value": value, "label": value, "count": count,
                               "toggle_url": self.ds.absolute_url(
                                   self.request, self.ds.urls.path(toggle)),
                               "selected": selected})
            results.append({
                "name": column, "type": "column",
                "hideable": source_and_config["source"] != "metadata",
                "toggle_url": self.ds.urls.path(
                    path_with_removed_args(self.request, {"_facet_counted": column})),
                "results": values, "truncated": len(rows) > size,
                "counted_by": ("precomputed" if where is not None else
                               "columns" if in_memory is not None else "rows")})
        return results, timed_out


@hookimpl
def register_facet_classes():
    return [CountedFacet]


@hookimpl
def startup(datasette):
    async def inner():
        for db in datasette.databases.values():
            if db.path and await db.table_exists("task_rows"):
                start_loading(db.path)
    return inner
