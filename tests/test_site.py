"""The vanban site served by a real Datasette over HTTP, on a database built from real
files (see tests/site_server.py)."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from site_server import (
    CITED_DOC,
    CITING_DOC,
    CONFIDENTIAL_DOC,
    build_site_db,
    running_site,
)


@pytest.fixture(scope="module")
def site_db(tmp_path_factory) -> Path:
    return build_site_db(tmp_path_factory.mktemp("site") / "vanban.db")


@pytest.fixture(scope="module")
def site(site_db) -> str:
    with running_site(site_db) as base:
        yield base


def get(base: str, path: str, **params: str) -> tuple[int, str, dict[str, str]]:
    url = base + path + ("?" + urlencode(params) if params else "")
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8"), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace"), dict(e.headers)


def get_bytes(base: str, path: str, **params: str) -> tuple[int, bytes, dict[str, str]]:
    url = base + path + ("?" + urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=60) as r:
        return r.status, r.read(), dict(r.headers)


def rows(base: str, path: str, **params: str) -> list[dict]:
    status, body, _ = get(base, path + ".json", _shape="array", **params)
    assert status == 200, body[:500]
    return json.loads(body)


def task_links(html: str) -> list[str]:
    return re.findall(r'href="(/-/task/[^"]+)"', html)


def test_home_page_explains_the_site_and_links_daily_queries(site):
    status, html, _ = get(site, "/")
    assert status == 200
    assert "nhiệm vụ" in html and "Tìm" in html
    assert "/vanban/nhiem_vu_cua_co_quan" in html and "/vanban/task_list" in html


def test_search_unaccented_words_finds_task_of_so_tu_phap(site):
    status, html, _ = get(site, "/-/search", q="so tu phap")
    assert status == 200
    links = task_links(html)
    assert links, "no task found for 'so tu phap'"
    assert "Sở Tư pháp" in html
    _, page, _ = get(site, links[0])
    assert "Sở Tư pháp" in page


@pytest.mark.parametrize(("typed", "same_as"), [("dong", "đồng"), ("Hoa", "Hòa"),
                                                  ("Hoà", "Hòa")])
def test_search_folds_accents_and_tone_placement(site, typed, same_as):
    _, typed_html, _ = get(site, "/-/search", q=typed)
    _, accented_html, _ = get(site, "/-/search", q=same_as)
    assert task_links(typed_html) == task_links(accented_html)


def test_search_dong_finds_text_with_dong_accented(site):
    _, html, _ = get(site, "/-/search", q="dong")
    assert "đồng" in html.lower() or "Đồng" in html


def test_document_number_lookup_is_exact(site):
    _, html, _ = get(site, "/-/search", q="56/TB-VPCP")
    number = html.split('class="vb-number"')[1].split("</section>")[0]
    assert "56/TB-VPCP ngày 23/2/2025 của Văn phòng Chính phủ" in number  # placeholder label
    assert "/-/doc/000_84caea610c60ea8e.txt" in number  # the seed that cites it
    assert "156/TB-VPCP" not in number and CITING_DOC not in number

    _, html156, _ = get(site, "/-/search", q="156/TB-VPCP")
    number156 = html156.split('class="vb-number"')[1].split("</section>")[0]
    assert f"/-/doc/{CITING_DOC}" in number156
    assert "000_84caea610c60ea8e.txt" not in number156


def test_document_page_links_cited_documents_and_names_the_missing_ones(site):
    status, html, _ = get(site, f"/-/doc/{quote(CITING_DOC)}")
    assert status == 200
    cites = html.split('class="vb-cites"')[1].split("</section>")[0]
    assert f'href="/-/doc/{quote(CITED_DOC, safe="")}"' in cites  # in the corpus: a link
    assert re.search(r'vb-placeholder[^>]*>[^<]*156/TB-VPCP[^<]*Văn phòng Chính phủ', cites)

    _, cited_html, _ = get(site, f"/-/doc/{quote(CITED_DOC)}")
    cited_by = cited_html.split('class="vb-cited-by"')[1].split("</section>")[0]
    assert f"/-/doc/{CITING_DOC}" in cited_by


def test_agency_page_lists_tasks_given_under_predecessor_name(site):
    status, html, _ = get(site, "/-/agency/so-khoa-hoc-va-cong-nghe")
    assert status == 200
    assert "Sở Thông tin và Truyền thông" in html
    assert "giao cho tên cũ: Sở Thông tin và Truyền thông" in html


def test_task_page_shows_evidence_with_highlighted_spans(site):
    _, html, _ = get(site, "/-/search", q="so tu phap dong bo hoa du lieu quy hoach")
    links = task_links(html)
    assert links
    status, page, _ = get(site, links[0])
    assert status == 200
    assert re.search(r'<mark class="agency">Sở Tư pháp</mark>', page)
    assert re.search(r'<mark class="deadline">[^<]*30 tháng 11 năm 2025</mark>', page)
    assert f'href="/-/doc/{quote(CITING_DOC, safe="")}"' in page
    assert "#muc-1" in page  # link to the section


def test_task_list_is_sorted_by_deadline_with_links_and_facets(site):
    data = rows(site, "/vanban/task_list")
    dated = [r["hạn"] for r in data if r["hạn"][:1].isdigit()]
    assert dated and dated == sorted(dated)
    status, html, _ = get(site, "/vanban/task_list")
    assert status == 200
    assert 'href="/-/task/' in html and 'href="/-/doc/' in html
    for facet in ("cơ quan", "vai trò", "tình trạng", "tháng hạn"):
        assert f'data-column="{facet}"' in html


@pytest.mark.parametrize(("query", "params", "expect"), [
    ("nhiem_vu_cua_co_quan", {"co_quan": "so tu phap"}, "Sở Tư pháp"),
    ("nhiem_vu_cua_co_quan", {"co_quan": "Sở Khoa học và Công nghệ"},
     "Sở Thông tin và Truyền thông"),
    ("han_trong_30_ngay", {}, None),
    ("qua_han", {}, "2025"),
    ("nhiem_vu_theo_van_ban", {"van_ban": "901/UBND-NC"}, "Sở Tư pháp"),
    ("chi_tieu_theo_nam", {"nam": "2025", "chi_tieu": "thu tuc hanh chinh"}, "%"),
    ("van_ban_trich_dan", {"so_hieu": "56/TB-VPCP"}, "000_84caea610c60ea8e.txt"),
    ("tim_nhiem_vu", {"q": "so tu phap"}, "Sở Tư pháp"),
])
def test_canned_queries_answer(site, query, params, expect):
    data = rows(site, f"/vanban/{query}", **params)
    if expect is not None:
        assert data, f"{query} returned nothing"
        assert expect in json.dumps(data, ensure_ascii=False)


def test_documents_citing_a_number_do_not_include_longer_numbers(site):
    data = rows(site, "/vanban/van_ban_trich_dan", so_hieu="56/TB-VPCP")
    assert {r["mã văn bản"] for r in data} >= {"000_84caea610c60ea8e.txt"}
    assert CITING_DOC not in {r["mã văn bản"] for r in data}


def test_xlsx_export_of_a_filtered_task_list_opens_with_openpyxl(site):
    from openpyxl import load_workbook

    status, body, headers = get_bytes(site, "/-/export/tasks.xlsx", agency="Sở Tư pháp")
    assert status == 200 and "attachment" in headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(body)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) > 1
    assert any("Sở Tư pháp" in str(v) for row in values[1:] for v in row)

    _, all_body, all_headers = get_bytes(site, "/-/export/tasks.xlsx")
    assert int(all_headers["x-vanban-rows"]) > int(headers["x-vanban-rows"])


def test_csv_export_has_no_row_cap(site, site_db):
    status, body, headers = get_bytes(site, "/-/export/tasks.csv")
    assert status == 200
    n = int(headers["x-vanban-rows"])
    conn = sqlite3.connect(site_db)
    (total,) = conn.execute("SELECT count(*) FROM tasks t JOIN documents d ON d.id = t.doc_id "
                            "WHERE d.status != 'confidential'").fetchone()
    conn.close()
    assert n == total
    assert body.decode("utf-8-sig").count("\n") >= n


def test_confidential_document_is_absent_everywhere(site):
    assert get(site, f"/-/doc/{CONFIDENTIAL_DOC}")[0] == 404
    _, html, _ = get(site, "/-/search", q="kho xang dau Quyet Thang")
    assert "Quyết Thắng" not in html and not task_links(html)
    assert not rows(site, "/vanban/tim_nhiem_vu", q="kho xang dau")
    assert not rows(site, "/vanban/nhiem_vu_theo_van_ban", van_ban="777/UBND-NC")
    assert CONFIDENTIAL_DOC not in json.dumps(rows(site, "/vanban/task_list", _size="max"))
    assert CONFIDENTIAL_DOC not in json.dumps(rows(site, "/vanban/document_list"))
    _, body, _ = get_bytes(site, "/-/export/tasks.csv")
    assert "Quyết Thắng" not in body.decode("utf-8-sig")
    # stored tables and arbitrary SQL hold every document: closed to visitors
    assert get(site, "/vanban/documents")[0] == 403
    assert get(site, "/vanban/tasks")[0] == 403
    assert get(site, "/vanban", sql="select * from documents")[0] == 403


def test_charts_page_draws_inline_svg_bars(site):
    status, html, _ = get(site, "/-/charts")
    assert status == 200
    page = html.split("<h1>")[1].split("</section>")[0]
    assert page.count('<figure class="vb-chart">') == 2
    assert page.count("<svg") == 2 and "<rect" in page and "<script" not in page


def test_site_stays_readable_while_a_writer_holds_a_transaction(site, site_db):
    writer = sqlite3.connect(site_db, isolation_level=None, timeout=5)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE agencies SET level = level")
        assert get(site, "/-/search", q="so tu phap")[0] == 200
        assert get(site, "/vanban/task_list.json")[0] == 200
    finally:
        writer.execute("ROLLBACK")
        writer.close()


@pytest.mark.parametrize("filters", [
    [],
    [("vai trò", "chủ trì")],
    [("cơ quan", "Sở Tư pháp")],
    [("tình trạng__exact", "quá hạn")],
    [("vai trò", "chủ trì"), ("tình trạng", "quá hạn")],  # two filters: counted live
    [("cơ quan", "Sở Tư pháp"), ("vai trò", "chủ trì")],  # live, from the covering index
    [("mã văn bản", CITING_DOC)],  # not a facet column: live
])
def test_task_list_facets_equal_datasettes_own_counts(site, filters):
    """The task list's facets come from precomputed counts; Datasette's column facet,
    asked for the same columns in the same request, counts the rows themselves."""
    from schema.tasklist import FACETS

    params = [*filters, *[("_facet", f) for f in FACETS], ("_facet_size", "max")]
    status, body, _ = get(site, "/vanban/task_list.json?" + urlencode(params))
    assert status == 200, body[:300]
    results = json.loads(body)["facet_results"]
    for facet in FACETS:
        pair = [[(v["value"], v["count"]) for v in results[key]["results"]]
                for key in (facet, f"{facet}_2")]
        assert pair[0] == pair[1], facet
    assert results["vai trò"]["results"], "facets are not empty"


def test_several_filters_are_counted_from_columns_in_memory(site):
    """With two facet filters the counts come from the in-memory columns (loaded in the
    background at start-up) and equal Datasette's own counting of the rows."""
    from schema.tasklist import FACETS

    params = [("vai trò", "chủ trì"), ("tình trạng", "quá hạn"),
              *[("_facet", f) for f in FACETS], ("_facet_size", "max")]
    url = "/vanban/task_list.json?" + urlencode(params)
    for _ in range(50):
        status, body, _ = get(site, url)
        results = json.loads(body)["facet_results"]
        ours = [r for r in results.values() if "counted_by" in r]
        if ours and ours[0]["counted_by"] == "columns":
            break
        time.sleep(0.2)
    assert {r["counted_by"] for r in ours} == {"columns"} and len(ours) == len(FACETS)
    for facet in FACETS:
        pair = [[(v["value"], v["count"]) for v in results[key]["results"]]
                for key in (facet, f"{facet}_2")]
        assert pair[0] == pair[1], facet
    assert results["cơ quan"]["results"]
