"""Read-side helpers: full-text search on folded text, agency lookup with successors."""

from __future__ import annotations

import re
from typing import Any

import sqlite_utils

from extract.normalize import fold
from schema.migrations import FTS_COLUMNS

_WORD = re.compile(r"[a-z0-9]+")


def fts_query(text: str) -> str:
    """A user's words → an FTS5 query on folded text: every word must occur, in any order;
    a query in quotes must occur as a phrase. "Sở Tư pháp" → '"so" "tu" "phap"'."""
    text = text.strip()
    words = _WORD.findall(fold(text))
    if not words:
        return ""
    if len(text) > 1 and text[0] == text[-1] == '"':
        return '"' + " ".join(words) + '"'
    return " ".join(f'"{w}"' for w in words)


def search(db: sqlite_utils.Database, table: str, text: str, *, limit: int = 50
           ) -> list[dict[str, Any]]:
    """Rows of ``table`` (documents, sections, tasks) whose folded text matches ``text``,
    best first. "so tu phap" finds "Sở Tư pháp"; "dong" finds "đồng"."""
    if table not in FTS_COLUMNS:
        raise ValueError(f"no full-text index on {table!r}; one of {sorted(FTS_COLUMNS)}")
    query = fts_query(text)
    if not query:
        return []
    sql = (f"SELECT [{table}].* FROM [{table}_fts] JOIN [{table}] "
           f"ON [{table}].rowid = [{table}_fts].rowid "
           f"WHERE [{table}_fts] MATCH ? ORDER BY rank LIMIT ?")
    return list(db.query(sql, [query, limit]))


def agency_keys_matching(db: sqlite_utils.Database, name: str) -> list[str]:
    """Keys of the agencies a filter by ``name`` means: those so named (folded, or by key),
    their successors, and their predecessors (bodies whose successor they are)."""
    folded = fold(name)
    named = [r[0] for r in db.execute(
        "SELECT key FROM agencies WHERE name_folded = ? OR key = ?", [folded, name])]
    if not named:
        return []
    marks = ", ".join("?" for _ in named)
    related = db.execute(
        f"SELECT successor_key FROM agencies WHERE key IN ({marks}) "
        f"AND successor_key IS NOT NULL "
        f"UNION SELECT key FROM agencies WHERE successor_key IN ({marks})",
        [*named, *named],
    )
    out = list(dict.fromkeys(named + [r[0] for r in related]))
    return out
