"""The coverage-and-need page in Chromium: present only with a raion layer, in each language (issue 11)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import shot, wait_for_map

NAV_LINKS = '[data-testid="stSidebarNav"] a'


def test_out_of_the_box_the_coverage_page_is_there(server, new_page):
    """`server` is what a fresh clone serves (no local-layers/): the shipped raions bring the Coverage page."""
    watched = new_page(1366, 900)
    watched.page.goto(server.url + "/?lang=en")
    wait_for_map(watched.page)  # a click while the map's frame loads aborts its script (the clean-page check)
    link = watched.page.locator(NAV_LINKS).get_by_text("Coverage and need", exact=True)
    link.wait_for(timeout=45_000)
    link.click()
    watched.page.get_by_role("heading", name="Coverage and need").wait_for(timeout=45_000)
    watched.page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=45_000)
    watched.assert_clean()


@pytest.mark.parametrize("lang, link, nookat", [("en", "Coverage and need", "Nookat"),
                                               ("ru", "Охват и потребности", "Ноокатский район"),
                                               ("ky", "Камтуу жана муктаждык", "Ноокат району")])
def test_the_coverage_page_from_the_sidebar(raion_server, new_page, lang, link, nookat):
    watched = new_page(1366, 900)
    page = watched.page
    page.goto(f"{raion_server.url}/?lang={lang}")
    wait_for_map(page)  # as a reader would: a click while the map frame loads aborts its script
    page.locator(NAV_LINKS, has_text=link).click(timeout=45_000)
    page.get_by_role("heading", name=link).wait_for(timeout=45_000)
    page.get_by_text(nookat, exact=True).first.wait_for(state="attached", timeout=30_000)  # the grid is a canvas
    assert "/coverage" in page.url and (lang == "en" or f"lang={lang}" in page.url), "the view stays in the URL"
    page.wait_for_timeout(500)
    shot(page, f"coverage-{lang}")
    watched.assert_clean()
