"""The vanban site in a real browser (Debian's Chromium driven by Playwright): search as
people type, follow a task to its document and a citation, filter by agency, download
the filtered list. Screenshots of the main pages go to tests/artifacts/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from site_server import CITED_DOC, build_site_db, running_site

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with running_site(build_site_db(tmp_path_factory.mktemp("browser") / "vanban.db")) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium "
                    "(apt-get install chromium, or run `make test`, which installs it)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="the playwright package is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN",
                                  accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_search_task_document_and_citation_by_clicking(site, page):
    page.goto(site + "/")
    shot(page, "01-home")
    page.fill("form.vb-search input[name=q]", "so tu phap dong bo hoa du lieu")
    page.press("form.vb-search input[name=q]", "Enter")
    page.wait_for_url("**/-/search?q=*")
    shot(page, "02-search")
    first = page.locator("a.vb-task-text").first
    assert "Sở Tư pháp" in first.inner_text()
    first.click()
    page.wait_for_url("**/-/task/**")
    assert page.locator("mark.agency", has_text="Sở Tư pháp").count() >= 1
    assert page.locator("mark.deadline").count() >= 1
    shot(page, "03-task")

    page.click("a.vb-doc-link")
    page.wait_for_url("**/-/doc/**")
    assert page.locator(".vb-placeholder", has_text="156/TB-VPCP").count() == 1
    shot(page, "04-document")

    page.click("a.vb-cite-link")
    page.wait_for_url(f"**/-/doc/{CITED_DOC}")
    assert "480/TB-VPCP" in page.locator("h1").inner_text()
    assert page.locator(".vb-cited-by a").count() >= 1


def test_agency_facet_then_xlsx_download_of_the_filtered_list(site, page, tmp_path):
    from openpyxl import load_workbook

    page.goto(site + "/vanban/task_list")
    shot(page, "05-task-list")
    facet = page.locator(".facet-info[data-column='cơ quan'] a", has_text="Sở Tư pháp")
    facet.first.click()
    page.wait_for_url("**/task_list?*")
    assert page.locator("table.rows-and-columns tbody tr").count() >= 1
    cells = page.evaluate("""() => {
        const ths = [...document.querySelectorAll('table.rows-and-columns thead th')];
        const i = ths.findIndex(th => th.dataset.column === 'cơ quan');
        return [...document.querySelectorAll('table.rows-and-columns tbody tr')]
            .map(tr => tr.children[i].innerText);
    }""")
    assert cells and all("Sở Tư pháp" in c for c in cells if c.strip())
    link = page.locator("#vb-export-xlsx")
    assert "agency=" in (link.get_attribute("href") or "")
    shot(page, "06-task-list-agency")

    with page.expect_download() as info:
        link.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert len(rows) > 1
    lead_col = rows[0].index("lead")
    support_col = rows[0].index("support")
    assert all("Sở Tư pháp" in f"{r[lead_col]} {r[support_col]}" for r in rows[1:])


def test_screenshots_of_agency_and_charts_pages(site, page):
    page.goto(site + "/-/agency/so-khoa-hoc-va-cong-nghe")
    assert page.locator(".vb-pred").count() >= 1
    shot(page, "07-agency")
    page.goto(site + "/-/charts")
    assert page.locator("figure.vb-chart svg rect").count() > 3
    shot(page, "08-charts")
