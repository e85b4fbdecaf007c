"""Kyrgyz and Russian pages speak Kyrgyz and Russian (issue 13): every page's visible text, the map's
included, read in Chromium; any Latin word that is not a proper name on the list below fails, as does a
catalogue key or column name (a snake_case word) showing through."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import PAGE_SETTLED, wait_for_map

pytestmark = pytest.mark.e2e

PROPER_NAMES = {
    "International", "Alert",  # the lead partner's name, in every language
    "Natural", "Earth", "OCHA", "COD-AB", "WFP", "PRISM", "Who's", "On", "First",  # data sources, by name
    "CSV", "Excel", "HTML", "HXL", "IATI", "XML", "d-portal", "PDF", "A4", "PNG", "km",  # formats, standards, unit
    "UTC",  # the time zone of a version's save, as written in every language
}
# Streamlit's own, not ours: the Material icon ligatures of expanders (a font's glyph names, never shown as words).
STREAMLIT_OWN = {"keyboard_arrow_right", "keyboard_arrow_down"}
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


# What a screen reader says and a hover shows: Streamlit's and Plotly's buttons have no visible text, only these.
CHROME_WORDS = """() => [...document.querySelectorAll('[aria-label],[title],[data-title],[placeholder]')]
  .flatMap(e => ['aria-label', 'title', 'data-title', 'placeholder'].map(a => e.getAttribute(a)))
  .filter(v => v).join('\\n')"""


def chrome_words(page) -> str:
    """Every label, title and placeholder of the page and of its frames (the map's + and − among them)."""
    text = ""
    for frame in page.frames:
        try:
            text += "\n" + frame.evaluate(CHROME_WORDS)
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
    labels = chrome_words(page)
    assert len(labels) > 20, "the page's buttons were read"
    assert foreign_words(labels) == set(), f"English in the labels and tooltips of {name} in {lang}"
    assert page.evaluate("() => document.documentElement.lang") == lang
    watched.assert_clean()


def tooltip_of(page, label: str) -> str:
    """What a hover over the button labelled `label` shows (Streamlit's tooltip)."""
    page.locator('[data-testid="stDataFrame"]').first.hover()
    page.get_by_label(label, exact=True).first.hover()
    tip = page.locator('[data-testid="stTooltipContent"]').last
    tip.wait_for(timeout=10_000)
    return tip.inner_text().strip()


def test_streamlits_buttons_speak_russian_and_give_english_back_when_the_reader_switches(server, new_page):
    w = new_page(1400, 1000)
    page = w.page
    page.goto(f"{server.url}/explorer?lang=ru")
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=45_000)
    page.wait_for_function(PAGE_SETTLED, timeout=30_000)
    assert tooltip_of(page, "Скачать как CSV") == "Скачать как CSV"
    assert page.get_by_label("Download as CSV", exact=True).count() == 0
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stSelectbox"]', has_text="Язык").locator("input").click()
    page.get_by_role("option", name="English").click()
    page.get_by_role("heading", name="Explorer").first.wait_for(timeout=30_000)
    page.wait_for_function(PAGE_SETTLED, timeout=30_000)
    assert tooltip_of(page, "Download as CSV") == "Download as CSV"
    assert page.evaluate("() => document.documentElement.lang") == "en"
    w.assert_clean()


def test_a_path_that_names_no_page_opens_the_map_in_its_language_with_no_english_dialog(server, new_page):
    w = new_page(1400, 1000)
    page = w.page
    page.goto(f"{server.url}/no-such-page?lang=ru&oblast=KG-O")
    wait_for_map(page)
    page.wait_for_function(PAGE_SETTLED, timeout=30_000)
    page.wait_for_timeout(1500)
    assert page.url == f"{server.url}/?lang=ru&oblast=KG-O"
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_role("heading", name=re.compile("Ош")).count() or "Ош" in page.inner_text("body")
    w.assert_clean()


@pytest.mark.parametrize("locale, words", [("ru-RU", "Инициативы"), ("ky-KG", "Демилгелер")])
def test_a_bare_url_opens_in_the_browsers_language_and_a_chosen_one_stays(server, browser, locale, words):
    """On the code before: a bare URL opened in English whatever the browser asked for."""
    from tests.e2e.conftest import watch

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=locale)
    try:
        w = watch(context.new_page())
        page = w.page
        page.goto(f"{server.url}/")
        wait_for_map(page)
        page.wait_for_function(PAGE_SETTLED, timeout=30_000)
        text = page.inner_text("body")
        assert words in text and "Initiatives" not in text
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.locator('[data-testid="stSelectbox"]').first.locator("input").click()
        page.get_by_role("option", name="English").click()
        page.wait_for_function("() => location.search.includes('lang=en')", timeout=30_000)
        page.reload()
        wait_for_map(page)
        page.wait_for_function(PAGE_SETTLED, timeout=30_000)
        assert "Initiatives" in page.inner_text("body"), "English, chosen on this browser, stays"
        w.assert_clean()
    finally:
        context.close()
