"""Kyrgyz and Russian pages speak Kyrgyz and Russian (issue 13): every page's visible text, the map's
included, read in Chromium; any Latin word that is not a proper name on the list below fails, as does a
catalogue key or column name (a snake_case word) showing through."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import wait_for_map

pytestmark = pytest.mark.e2e

PROPER_NAMES = {
    "International", "Alert",  # the lead partner's name, in every language
    "Natural", "Earth", "OCHA", "COD-AB", "WFP", "PRISM", "Who's", "On", "First",  # data sources, by name
    "CSV", "Excel", "HTML", "HXL", "km",  # file formats, the data standard and the unit
}
# Streamlit's own, not ours: its keyboard skip link, and the Material icon ligatures of expanders.
STREAMLIT_OWN = {"Skip", "to", "main", "content", "keyboard_arrow_right", "keyboard_arrow_down"}
# Record ids, location ids, P-codes, and "3W" (who does what where: the humanitarian term, in every language).
CODES = re.compile(r"\b(?:CSO|LSG)-\d+\b|\bL\d{2}\b|\bKG[\w-]*\d\b|\b3W\b")
WORD = re.compile(r"[A-Za-z][A-Za-z_'’-]*[A-Za-z]|[A-Za-z]")
PAGES = {"map": "/?location=L10", "themes": "/themes", "coverage": "/coverage", "explorer": "/explorer",
         "about": "/about"}


def visible_text(page) -> str:
    """The page's text as a reader sees it, with the map frame's (labels, legend, attribution)."""
    text = page.evaluate("() => document.body.innerText")
    for frame in page.frames[1:]:
        try:
            text += "\n" + frame.evaluate("() => document.body ? document.body.innerText : ''")
        except Exception:  # a frame replaced while being read: read again on the next page
            continue
    return text


def foreign_words(text: str) -> set[str]:
    words = set(WORD.findall(CODES.sub(" ", text)))
    return {w for w in words if w not in PROPER_NAMES and w not in STREAMLIT_OWN}


@pytest.mark.parametrize("lang", ["ky", "ru"])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_speaks_the_chosen_language(raion_server, new_page, lang, name):
    watched = new_page(1400, 1600)
    page = watched.page
    path = PAGES[name]
    page.goto(f"{raion_server.url}{path}{'&' if '?' in path else '?'}lang={lang}")
    if name == "map":
        wait_for_map(page)
        page.get_by_text(re.compile(r"^LSG-\d+ · ")).first.wait_for(timeout=30_000)  # the place's cards
    page.locator('[data-testid="stHeading"], h1').first.wait_for(timeout=45_000)
    page.wait_for_timeout(2500)  # charts and tables settle
    text = visible_text(page)
    assert len(text) > 300, "the page drew"
    assert foreign_words(text) == set(), f"English or keys on {name} in {lang}"
    watched.assert_clean()
