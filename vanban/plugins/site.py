"""Datasette hooks of the vanban site: SQL functions, pages, links, exports.

Configuration (titles, descriptions, facets, canned queries, permissions) lives in
``vanban/metadata.yaml``; this module only does what needs code:

* ``vanban_fold(text)`` and ``vanban_fts(text)`` SQL functions, so canned queries match
  the folded columns the way people type ("so tu phap" → "Sở Tư pháp");
* the site's own pages: ``/`` (home), ``/-/search``, ``/-/doc/<id>``, ``/-/task/<id>``,
  ``/-/agency/<key>``, ``/-/charts`` and ``/-/export/tasks.<xlsx|csv>``;
* links from table cells to those pages, and the export link on the task list.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import io
import logging
import sqlite3
import time
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import sqlite_utils
import yaml
from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

from extract.normalize import fold
from schema import tasklist
from schema.db import transaction
from schema.migrations import migrate
from schema.queries import fts_query
from vanban.plugins import pages

log = logging.getLogger(__name__)
METADATA = Path(__file__).resolve().parent.parent / "metadata.yaml"
SYSTEM_DATABASES = ("_internal", "_memory")
STATS_TTL_S = 60
STATIC_MOUNT = "vanban-static"  # served by ``--static vanban-static:vanban/static``
EXPORT_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


# --- configuration ---------------------------------------------------------------------

@functools.cache
def site_metadata() -> dict[str, Any]:
    return yaml.safe_load(METADATA.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=8)
def _metadata_for(names: tuple[str, ...]) -> dict[str, Any]:
    meta = site_metadata()
    out = {k: v for k, v in meta.items() if k != "databases"}
    out["databases"] = {name: meta["databases"]["vanban"] for name in names}
    return copy.deepcopy(out)


@hookimpl
def get_metadata(datasette, key, database, table):
    """The metadata file describes the database as ``vanban``; give every database the
    site serves the same description, whatever its file is called. Datasette asks ~80
    times per page, so the answer is built once (a deep copy each time cost ~90 ms a page);
    Datasette merges the metadata file into it, which rewrites the same values."""
    names = tuple(n for n in datasette.databases if n not in SYSTEM_DATABASES)
    cached = _metadata_for(names)
    return {**cached, "databases": dict(cached["databases"])}


def _data_db(datasette):
    for name, db in datasette.databases.items():
        if name not in SYSTEM_DATABASES:
            return db
    raise NotFound("no database is served")


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.create_function("vanban_fold", 1, lambda s: fold(s) if s else "",
                         deterministic=True)
    # an empty query becomes "\"\"" (matches nothing) instead of an FTS5 syntax error
    conn.create_function("vanban_fts", 1, lambda s: fts_query(s or "") or '""',
                         deterministic=True)


def _prepare(conn: sqlite3.Connection) -> int:
    """Bring a served database up to the current schema and today's task statuses."""
    db = sqlite_utils.Database(conn)
    migrate(db)
    with transaction(db) as c:
        return tasklist.refresh_status(c)


_status_day: dict[str, date] = {}


async def _refresh_if_new_day(datasette) -> None:
    """Statuses ("quá hạn", "đến hạn trong 30 ngày") follow the calendar: on the first
    request of a new day the task list is brought up to date (a few ms)."""
    today = date.today()
    for name, db in datasette.databases.items():
        if name in SYSTEM_DATABASES or not db.is_mutable or _status_day.get(name) == today:
            continue
        _status_day[name] = today
        if not await db.table_exists("tasks"):
            continue
        try:
            await db.execute_write_fn(_prepare)
        except sqlite3.Error as e:  # a read-only file: serve the statuses as stored
            log.warning("could not bring %s up to date: %s", name, e)


@hookimpl
def startup(datasette):
    async def inner():
        await _refresh_if_new_day(datasette)
    return inner


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def refreshing_app(scope, receive, send):
            if scope.get("type") == "http":
                await _refresh_if_new_day(datasette)
            await app(scope, receive, send)
        return refreshing_app
    return wrap


# --- links -----------------------------------------------------------------------------

def page_url(datasette, kind: str, key: str) -> str:
    return datasette.urls.path(f"/-/{kind}/{quote(str(key), safe='')}")


_LINKED_COLUMNS = {"mã nhiệm vụ": "task", "mã văn bản": "doc", "mã cơ quan": "agency",
                   "mã văn bản được dẫn": "doc", "bản trùng của": "doc",
                   "doc_id": "doc", "cited_doc_id": "doc", "agency_key": "agency",
                   "successor_key": "agency", "duplicate_of": "doc"}
_LINKED_KEYS = {"tasks": ("id", "task"), "documents": ("id", "doc"),
                "agencies": ("key", "agency"), "task_agencies": ("task_id", "task"),
                "deadlines": ("task_id", "task"), "targets": ("task_id", "task")}


@hookimpl
def render_cell(value, column, table, datasette):
    if not isinstance(value, str) or not value:
        return None
    kind = _LINKED_COLUMNS.get(column)
    if table in _LINKED_KEYS and _LINKED_KEYS[table][0] == column:
        kind = _LINKED_KEYS[table][1]
    if kind is None:
        return None
    return Markup(f'<a href="{escape(page_url(datasette, kind, value))}">{escape(value)}</a>')


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path(f"/{STATIC_MOUNT}/site.css")]


@hookimpl
def extra_js_urls(view_name, table, datasette):
    if view_name == "table" and table == "task_list":
        return [datasette.urls.path(f"/{STATIC_MOUNT}/tasks.js")]
    return []


@hookimpl
def menu_links(datasette):
    return [{"href": datasette.urls.path(p), "label": label} for p, label in (
        ("/-/search", "Tìm kiếm"), ("/-/charts", "Biểu đồ"), ("/", "Trang chủ"))]


@hookimpl
def extra_template_vars(datasette):
    return {"vanban_db": next((n for n in datasette.databases
                               if n not in SYSTEM_DATABASES), None),
            "page_url": functools.partial(page_url, datasette)}


# --- pages -----------------------------------------------------------------------------

async def _render(datasette, request, template: str, context: dict[str, Any],
                  status: int = 200) -> Response:
    db = _data_db(datasette)
    context = {"db_name": db.name, **context}
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html, status=status)


_stats_cache: dict[str, tuple[float, dict[str, int]]] = {}


async def home(datasette, request):
    db = _data_db(datasette)
    cached = _stats_cache.get(db.name)
    if cached is None or time.monotonic() - cached[0] > STATS_TTL_S:
        cached = (time.monotonic(), await db.execute_fn(pages.home_stats))
        _stats_cache[db.name] = cached
    queries = datasette.metadata("queries", database=db.name) or {}
    return await _render(datasette, request, "vanban_home.html",
                         {"stats": cached[1], "queries": queries})


async def search(datasette, request):
    q = request.args.get("q", "")
    db = _data_db(datasette)
    result = await db.execute_fn(lambda conn: pages.search_page(conn, q))
    return await _render(datasette, request, "vanban_search.html", result)


async def _detail(datasette, request, fn, template: str, what: str):
    key = unquote(request.url_vars["key"])  # Datasette routes on the raw (quoted) path
    db = _data_db(datasette)
    context = await db.execute_fn(lambda conn: fn(conn, key))
    if context is None:
        raise NotFound(f"Không có {what} “{key}”")
    return await _render(datasette, request, template, context)


async def document(datasette, request):
    return await _detail(datasette, request, pages.document_page, "vanban_document.html",
                         "văn bản")


async def task(datasette, request):
    return await _detail(datasette, request, pages.task_page, "vanban_task.html",
                         "nhiệm vụ")


async def agency(datasette, request):
    return await _detail(datasette, request, pages.agency_page, "vanban_agency.html",
                         "cơ quan")


async def charts(datasette, request):
    db = _data_db(datasette)
    data = await db.execute_fn(pages.chart_data)
    return await _render(datasette, request, "vanban_charts.html", {
        "agency_chart": pages.bar_chart(data["agencies"], "name", ["lead", "support"]),
        "month_chart": pages.bar_chart(data["months"], "month", ["tasks"], label_width=90),
    })


def export_filters(args) -> dict[str, Any]:
    """Query-string filters of the export route → ``vanban.export.export_tasks`` kwargs."""
    role = {"chủ trì": "lead", "phối hợp": "support"}.get(args.get("role", ""),
                                                           args.get("role") or None)
    if role not in (None, "lead", "support"):
        raise ValueError(f"vai trò không hợp lệ: {role!r}")
    return {"agency": args.get("agency") or None, "role": role,
            "document": args.get("document") or None,
            "date_from": args.get("from") or None, "date_to": args.get("to") or None,
            "overdue": args.get("overdue") in ("1", "true", "yes"),
            "sheet_per_agency": args.get("sheets") == "agency"}


def _export_bytes(path: str, fmt: str, filters: dict[str, Any]) -> tuple[bytes, int]:
    from vanban.export import export_tasks

    conn = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        buf = io.BytesIO()
        n = export_tasks(sqlite_utils.Database(conn), fmt, buf, today=date.today(),
                         **filters)
    finally:
        conn.close()
    return buf.getvalue(), n


async def export(datasette, request):
    fmt = request.url_vars["fmt"]
    if fmt not in EXPORT_FORMATS:
        raise NotFound(f"định dạng {fmt!r} không hỗ trợ")
    try:
        filters = export_filters(request.args)
    except ValueError as e:
        return Response.text(str(e), status=400)
    db = _data_db(datasette)
    if db.path is None:
        raise NotFound("cơ sở dữ liệu không có tệp")
    body, n = await asyncio.to_thread(_export_bytes, db.path, fmt, filters)
    name = f"nhiem-vu-{date.today().isoformat()}.{fmt}"
    return Response(body, content_type=EXPORT_FORMATS[fmt], headers={
        "content-disposition": f'attachment; filename="{name}"', "x-vanban-rows": str(n)})


@hookimpl
def register_routes():
    return [
        (r"^/$", home),
        (r"^/-/search$", search),
        (r"^/-/doc/(?P<key>.+)$", document),
        (r"^/-/task/(?P<key>.+)$", task),
        (r"^/-/agency/(?P<key>.+)$", agency),
        (r"^/-/charts$", charts),
        (r"^/-/export/tasks\.(?P<fmt>[a-z]+)$", export),
    ]
