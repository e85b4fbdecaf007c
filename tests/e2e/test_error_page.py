"""The error page in the browser: what it says, and no file names of pages/ in its sidebar (issue 14)."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import RECORDS_DIR
from tests.e2e.conftest import shot, start_server


@pytest.fixture(scope="module")
def broken_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken")
    records = shutil.copytree(RECORDS_DIR, folder / "records")
    (records / "locations.csv").unlink()
    server = start_server(folder, records=records)
    yield server
    server.stop()


@pytest.mark.parametrize("path", ["/", "/themes", "/about?lang=ru"])
def test_the_error_page_lists_no_raw_page_files(broken_server, new_page, path):
    watched = new_page(1366, 900)
    page = watched.page
    page.goto(broken_server.url + path)
    title = "Не удалось загрузить данные" if "lang=ru" in path else "The records could not be loaded"
    page.get_by_role("heading", name=title).wait_for(timeout=45_000)
    page.get_by_text("locations.csv", exact=True).first.wait_for(state="attached")  # the grid is a canvas
    nav_links = page.locator('[data-testid="stSidebarNav"] a')
    assert nav_links.count() == 0, nav_links.all_inner_texts()
    for name in ("dashboard", "about", "explorer", "map", "themes"):
        assert page.get_by_text(name, exact=True).count() == 0, f"the page file name '{name}' is shown"
    shot(page, f"error-page{path.replace('/', '-').replace('?', '-')}")
    watched.assert_clean()
