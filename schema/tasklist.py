"""The task list the site browses, kept as a table, with its facet counts precomputed.

A reader's everyday page is "every task and the agency it is assigned to, nearest
deadline first, with counts per agency, role, status, month, document type, issuer and
document". As a view joining four tables that page costs seconds at a million tasks, so
the rows are materialized in ``task_rows`` (one row per task and assigned agency; tasks
without an agency once; confidential documents never), indexed for every facet column
together with the deadline it sorts by, and the site reads the ``task_list`` view over
it. The rows of a document are rewritten in the same transaction that stores the
document (:func:`refresh_documents`), so the list is never out of step with the base
tables.

``task_list_counts`` holds the facet counts: for no filter (``filter_column = ''``) and
for each single "column = value" filter on a facet column, the number of rows per value
of every other facet. It is kept up to date by deltas: the counts of a document's rows
are subtracted before its rows are replaced and added after. A facet page with no filter
or one facet filter then reads a handful of rows instead of grouping a million.

The status column ("quá hạn", "đến hạn trong 30 ngày", …) depends on the day.
:func:`refresh_status` brings it (and the counts) up to date for a new day by looking
only at rows whose deadline lies between the days last used and today + 30; ingest calls
it after each run and the site when the date changes.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from schema.keys import doc_type_name_sql

NO_DEADLINE = "không ghi hạn"  # sorts after every ISO date, so "nearest first" works
WITHDRAWN = "văn bản đã thu hồi"
OVERDUE = "quá hạn"
DUE_SOON = "đến hạn trong 30 ngày"
OPEN = "còn hạn"
SOON_DAYS = 30

DOC_LABEL = ("CASE WHEN coalesce(d.number, '') != '' THEN d.number || '/' || d.symbol "
             "ELSE d.id END")


def _due(deadline: str) -> str:
    """SQL: the status of a (non-null) deadline on :today (:soon = :today + 30 days)."""
    return (f"CASE WHEN {deadline} < :today THEN '{OVERDUE}' "
            f"WHEN {deadline} <= :soon THEN '{DUE_SOON}' ELSE '{OPEN}' END")


_STATUS = f"""CASE WHEN d.status = 'withdrawn' THEN '{WITHDRAWN}'
       WHEN t.first_deadline IS NULL THEN '{NO_DEADLINE}'
       ELSE {_due("t.first_deadline")} END"""
# columns of task_rows, in display order: (name, SQL computing it from the base tables)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("hạn", f"coalesce(t.first_deadline, '{NO_DEADLINE}')"),
    ("nhiệm vụ", "t.text"),
    ("cơ quan", "coalesce(a.successor_name, a.name)"),
    ("vai trò", "CASE ta.role WHEN 'lead' THEN 'chủ trì' WHEN 'support' THEN 'phối hợp' END"),
    ("tên khi giao", "a.name"),
    ("văn bản", DOC_LABEL),
    ("loại văn bản", doc_type_name_sql("d.doc_type", "d.doc_type_label")),
    ("cơ quan ban hành", "coalesce(d.issuer_name, d.issuer)"),
    ("tháng hạn", "t.deadline_month"),
    ("tình trạng", _STATUS),
    ("mục", "t.section_id"),
    ("định kỳ", "t.recurrence"),
    ("mã nhiệm vụ", "t.id"),
    ("mã văn bản", "t.doc_id"),
    ("mã cơ quan", "coalesce(a.successor_key, ta.agency_key)"),
)
NAMES = tuple(name for name, _ in COLUMNS)
# the facets the site shows on the task list; their counts are precomputed
FACETS: tuple[str, ...] = ("cơ quan", "vai trò", "tình trạng", "tháng hạn", "loại văn bản",
                           "cơ quan ban hành", "văn bản")
# columns a filter on which should find its rows by an index (with the sort column)
_INDEXED = (*FACETS, "mã văn bản", "mã cơ quan")


def _q(name: str) -> str:
    return "[" + name.replace("]", "]]") + "]"


_SELECT = ("SELECT " + ",\n  ".join(f"{sql} AS {_q(name)}" for name, sql in COLUMNS) + """
FROM tasks t JOIN documents d ON d.id = t.doc_id
LEFT JOIN task_agencies ta ON ta.task_id = t.id
LEFT JOIN agencies a ON a.key = ta.agency_key
WHERE d.status != 'confidential'""")
_FACET_COLUMNS = ", ".join(_q(f) for f in FACETS)
_INSERT = f"INSERT INTO task_rows ({', '.join(_q(n) for n in NAMES)})\n{_SELECT}"

SCHEMA = (
    "CREATE TABLE task_rows (\n  "
    + ",\n  ".join(f"{_q(n)} TEXT" + (" NOT NULL" if n in ("hạn", "mã nhiệm vụ",
                                                          "mã văn bản") else "")
                   for n in NAMES) + "\n)",
    *(f"CREATE INDEX task_rows_{i} ON task_rows({_q(c)}, [hạn])"
      for i, c in enumerate(_INDEXED)),
    "CREATE INDEX task_rows_due ON task_rows([hạn])",
    # an agency's page with a second filter: the index holds every facet column, so the
    # row count and a pass over the rows never visit the table
    f"CREATE INDEX task_rows_agency_facets ON task_rows({_FACET_COLUMNS}, [hạn])",
    """CREATE TABLE task_list_counts (
  filter_column TEXT NOT NULL,
  filter_value TEXT NOT NULL,
  facet TEXT NOT NULL,
  value TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (filter_column, filter_value, facet, value)
) WITHOUT ROWID""",
    # the days statuses were computed for since the last refresh_status
    """CREATE TABLE task_list_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  status_day TEXT,
  min_day TEXT,
  max_day TEXT
)""",
    "INSERT INTO task_list_state (id) VALUES (1)",
    "CREATE VIEW task_list AS SELECT " + ", ".join(_q(n) for n in NAMES) + " FROM task_rows",
)


# schema migration 4
SCHEMA_4 = (
    # a version that every change of task_rows increments: the site's facet columns in
    # memory are used only while they match it
    "ALTER TABLE task_list_state ADD COLUMN version INTEGER NOT NULL DEFAULT 0",
    # pages with two filters: the facets come from those columns, but Datasette still
    # counts the rows; with this index and the agency-led one holding every facet
    # column, a count under a status or an agency filter (the usual first choices) and
    # any second filter never visits the table
    "CREATE INDEX task_rows_status_facets ON task_rows("
    + ", ".join(_q(f) for f in ("tình trạng", "tháng hạn", "cơ quan", "vai trò",
                                 "loại văn bản", "cơ quan ban hành", "văn bản"))
    + ", [hạn])",
)


def _days(today: date | str | None) -> dict[str, str]:
    day = date.fromisoformat(today) if isinstance(today, str) else (today or date.today())
    return {"today": day.isoformat(), "soon": (day + timedelta(days=SOON_DAYS)).isoformat()}


def _count_sql(source: str, amount: str) -> str:
    """One SELECT giving (filter_column, filter_value, facet, value, n) over ``source``
    (a table with the facet columns; ``amount`` is the count of one of its rows): the
    unfiltered counts and the counts under each single facet filter."""
    parts = []
    for facet in FACETS:
        f = _q(facet)
        parts.append(f"SELECT '', '', '{facet}', {f}, {amount} FROM {source} "
                     f"WHERE {f} IS NOT NULL GROUP BY {f}")
        for other in FACETS:
            if other == facet:
                continue
            o = _q(other)
            parts.append(f"SELECT '{other}', {o}, '{facet}', {f}, {amount} FROM {source} "
                         f"WHERE {f} IS NOT NULL AND {o} IS NOT NULL GROUP BY {o}, {f}")
    return "\nUNION ALL ".join(parts)


def _tally(conn: sqlite3.Connection, where: str, params: dict | tuple) -> Counter:
    """The count rows (as in task_list_counts) of the task rows matching ``where``."""
    out: Counter = Counter()
    for row in conn.execute(f"SELECT {_FACET_COLUMNS} FROM task_rows WHERE {where}", params):
        present = [(f, v) for f, v in zip(FACETS, row, strict=True) if v is not None]
        for facet, value in present:
            out[("", "", facet, value)] += 1
            for other, other_value in present:
                if other != facet:
                    out[(other, other_value, facet, value)] += 1
    return out


def _apply(conn: sqlite3.Connection, old: Counter, new: Counter) -> None:
    delta = [(*k, new.get(k, 0) - old.get(k, 0)) for k in old.keys() | new.keys()]
    conn.executemany(
        "INSERT INTO task_list_counts (filter_column, filter_value, facet, value, n) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n",
        [d for d in delta if d[4]])


def refresh_documents(conn: sqlite3.Connection, doc_ids: Iterable[str],
                      today: date | str | None = None) -> None:
    """Rewrite the task rows (and counts) of these documents from the base tables.
    Call inside the transaction that changed them."""
    days = _days(today)
    for doc_id in doc_ids:
        where, params = "[mã văn bản] = :doc", {"doc": doc_id}
        old = _tally(conn, where, params)
        conn.execute(f"DELETE FROM task_rows WHERE {where}", params)
        conn.execute(_INSERT + " AND t.doc_id = :doc", {**days, **params})
        _apply(conn, old, _tally(conn, where, params))
    conn.execute("UPDATE task_list_state SET min_day = min(coalesce(min_day, :today), :today),"
                 " max_day = max(coalesce(max_day, :today), :today), version = version + 1 "
                 "WHERE id = 1", days)


def rebuild(conn: sqlite3.Connection, today: date | str | None = None) -> None:
    """Recompute the whole task list and its counts (migration, repair)."""
    days = _days(today)
    conn.execute("DELETE FROM task_rows")
    conn.execute("DELETE FROM task_list_counts")
    conn.execute(_INSERT, days)
    # one sort of the rows into their distinct facet combinations, then the counts
    conn.execute("DROP TABLE IF EXISTS temp._combos")
    conn.execute(f"CREATE TEMP TABLE _combos AS SELECT {_FACET_COLUMNS}, count(*) AS n "
                 f"FROM task_rows GROUP BY {_FACET_COLUMNS}")
    conn.execute("INSERT INTO task_list_counts (filter_column, filter_value, facet, value, n)"
                 f" {_count_sql('temp._combos', 'sum(n)')}")
    conn.execute("DROP TABLE temp._combos")
    conn.execute("ANALYZE task_rows")
    conn.execute("UPDATE task_list_state SET status_day = :today, min_day = :today, "
                 "max_day = :today WHERE id = 1", days)
    # migration 3 rebuilds before migration 4 adds the version
    if any(r[1] == "version" for r in conn.execute("PRAGMA table_info(task_list_state)")):
        conn.execute("UPDATE task_list_state SET version = version + 1 WHERE id = 1")


def refresh_status(conn: sqlite3.Connection, today: date | str | None = None) -> int:
    """Bring the status column and its counts to ``today``; returns rows changed.

    Only rows whose deadline lies between the earliest day a status was computed for
    and the latest such day (or today) + 30 days can be stale, so only those are read.
    """
    days = _days(today)
    state = conn.execute("SELECT status_day, min_day, max_day FROM task_list_state "
                         "WHERE id = 1").fetchone()
    if state is None:
        return 0
    status_day, min_day, max_day = state
    if status_day == days["today"] and min_day == max_day == days["today"]:
        return 0
    lo = min(d for d in (status_day, min_day, days["today"]) if d)
    hi = max(d for d in (status_day, max_day, days["today"]) if d)
    hi = (date.fromisoformat(hi) + timedelta(days=SOON_DAYS)).isoformat()
    stale = (f"[hạn] BETWEEN :lo AND :hi AND [tình trạng] NOT IN ('{WITHDRAWN}', "
             f"'{NO_DEADLINE}') AND [tình trạng] != {_due('[hạn]')}")
    params = {**days, "lo": lo, "hi": hi}
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _stale_rows (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM _stale_rows")
    conn.execute(f"INSERT INTO _stale_rows SELECT rowid FROM task_rows WHERE {stale}", params)
    (n,) = conn.execute("SELECT count(*) FROM _stale_rows").fetchone()
    if n:
        where = "rowid IN (SELECT id FROM _stale_rows)"
        old = _tally(conn, where, ())
        conn.execute(f"UPDATE task_rows SET [tình trạng] = {_due('[hạn]')} WHERE {where}",
                     days)
        _apply(conn, old, _tally(conn, where, ()))
        conn.execute("UPDATE task_list_state SET version = version + 1 WHERE id = 1")
    conn.execute("DELETE FROM _stale_rows")
    conn.execute("UPDATE task_list_state SET status_day = :today, min_day = :today, "
                 "max_day = :today WHERE id = 1", days)
    return int(n)


def analyze_if_grown(conn: sqlite3.Connection, ratio: float = 1.25) -> bool:
    """Refresh the planner's statistics of task_rows when its size moved by more than
    ``ratio`` since they were taken (without them SQLite may pick the index of a filter
    that keeps half the rows over the one that keeps a few thousand)."""
    (n,) = conn.execute("SELECT count(*) FROM task_rows").fetchone()
    try:
        row = conn.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'task_rows' "
                           "AND idx = 'task_rows_due'").fetchone()
    except sqlite3.OperationalError:  # no statistics at all yet
        row = None
    known = int(row[0].split()[0]) if row else 0
    if known and known / ratio <= n <= known * ratio:
        return False
    conn.execute("ANALYZE task_rows")
    return True


def version(conn: sqlite3.Connection) -> int:
    """Changes whenever task_rows does."""
    return int(conn.execute("SELECT version FROM task_list_state WHERE id = 1").fetchone()[0])


class _Coder(dict):
    """value → code, numbering values as they come (0 for no value)."""

    def __init__(self) -> None:
        super().__init__({None: 0})

    def __missing__(self, value: Any) -> int:
        self[value] = code = len(self)
        return code

    def in_order(self) -> list[Any]:
        """The values in code order (code 1 first)."""
        return [v for v in self if v is not None]


class FacetColumns:
    """The facet columns of task_rows held in memory as integer codes (numpy), so the
    counts under any combination of "column = value" filters take a few milliseconds
    on a million rows — where SQLite would visit every matching row once per facet.
    A copy is exact for one :func:`version`; :meth:`load` reads data and version in one
    read transaction."""

    def __init__(self, version: int, codes: list, values: list[list[Any]]):
        self.version, self.codes, self.values = version, codes, values
        self.lookup = [{v: i + 1 for i, v in enumerate(vals)} for vals in values]
        self.rows = len(codes[0]) if codes else 0

    @classmethod
    def load(cls, path: str) -> FacetColumns:
        import numpy as np

        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            conn.execute("BEGIN")  # one snapshot for the version and the rows
            ver = version(conn)
            # one scan, which SQLite serves from the index holding every facet column;
            # the order of rows does not matter as long as the columns share it
            cur = conn.execute(f"SELECT {_FACET_COLUMNS} FROM task_rows")
            coders = [_Coder() for _ in FACETS]
            parts: list[list] = [[] for _ in FACETS]
            while chunk := cur.fetchmany(100_000):
                for coder, part, values in zip(coders, parts, zip(*chunk, strict=True),
                                               strict=True):
                    part.append(np.fromiter(map(coder.__getitem__, values),
                                            dtype=np.uint32, count=len(values)))
            conn.execute("COMMIT")
        finally:
            conn.close()
        codes = [np.concatenate(p) if p else np.zeros(0, dtype=np.uint32) for p in parts]
        return cls(ver, codes, [coder.in_order() for coder in coders])

    def counts(self, filters: list[tuple[str, str]], facets: list[str], limit: int
               ) -> dict[str, list[tuple[Any, int]]]:
        """For each of ``facets``: (value, count) among rows matching every filter,
        biggest first (ties by value), at most ``limit``."""
        import numpy as np

        picked = None
        for column, value in filters:
            i = FACETS.index(column)
            code = self.lookup[i].get(value)
            hit = self.codes[i] == code if code else np.zeros(self.rows, dtype=bool)
            picked = hit if picked is None else picked & hit
        rows = None if picked is None else np.flatnonzero(picked)
        out = {}
        for facet in facets:
            i = FACETS.index(facet)
            codes = self.codes[i] if rows is None else self.codes[i][rows]
            n = np.bincount(codes, minlength=len(self.values[i]) + 1)
            found = [(self.values[i][c - 1], int(n[c])) for c in np.flatnonzero(n) if c]
            found.sort(key=lambda vc: (-vc[1], str(vc[0])))
            out[facet] = found[:limit]
        return out


def purge_zero_counts(conn: sqlite3.Connection) -> None:
    """Drop counts that deltas brought to zero (harmless but dead weight)."""
    conn.execute("DELETE FROM task_list_counts WHERE n = 0")


def facet_counts(conn: sqlite3.Connection, facet: str, limit: int,
                 filter_column: str = "", filter_value: str = "") -> list[tuple[Any, int]]:
    """(value, count) of ``facet`` — biggest first — among all rows or those where
    ``filter_column = filter_value``. For the filtered column itself: its one value."""
    only = ""
    if filter_column == facet:  # the unfiltered count of the value filtered on
        filter_column, only = "", "AND value = :value"
    return [(v, n) for v, n in conn.execute(
        "SELECT value, n FROM task_list_counts WHERE filter_column = :column "
        f"AND filter_value = :fv AND facet = :facet AND n > 0 {only} "
        "ORDER BY n DESC, value LIMIT :limit",
        {"column": filter_column, "fv": "" if only else filter_value, "facet": facet,
         "value": filter_value, "limit": limit})]
