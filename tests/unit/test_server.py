"""How `streamlit run dashboard.py` serves each page (issues 13 and 15); the browser tests show the effect."""

import asyncio
import json
import re
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from starlette.requests import Request
from streamlit import file_util
from streamlit.web.server.app_discovery import discover_asgi_app

from tests.conftest import ROOT
from ui.preview import ENABLE_ENV
from ui.server import (
    BASE_SCRIPT,
    PAGE_ELEMENTS,
    PRESENTATION_ELEMENTS,
    WORDS_FILE,
    element_files,
    page_html,
    page_routes,
    unknown_page,
    words_script,
)

STATIC = Path(file_util.get_static_dir())
INDEX = (STATIC / "index.html").read_text(encoding="utf-8")


def test_streamlit_run_finds_the_app_with_its_routes_in_dashboard_py():
    found = discover_asgi_app(ROOT / "dashboard.py")
    assert found.is_asgi_app and found.import_string == "dashboard:app"


def test_the_base_is_named_before_any_of_streamlits_scripts_runs():
    html = page_html()
    assert html.replace(BASE_SCRIPT + words_script(), "", 1) == INDEX
    assert html.index(BASE_SCRIPT) < html.index("<script", html.index(BASE_SCRIPT) + 1)
    assert html.index(BASE_SCRIPT) < html.index('type="module"')


def test_every_page_answers_at_its_path_and_the_map_at_the_root():
    assert [route.path for route in page_routes(["map", "themes", "about"])] == ["/", "/themes", "/about"]


@pytest.mark.parametrize("elements", [*PAGE_ELEMENTS.values(), PRESENTATION_ELEMENTS])
def test_each_element_kind_is_one_file_of_this_streamlit(elements):
    """A Streamlit that renames them would leave a page without its code asked ahead: fail here instead."""
    files = element_files(elements)
    for element in elements:
        assert sum(re.fullmatch(rf"{element}\.[\w$-]+\.js", name) is not None for name in files) == 1, element


def test_the_files_asked_ahead_are_what_the_elements_import_and_the_page_does_not_load_already():
    files = element_files(("Selectbox",))
    folder = STATIC / "static" / "js"
    assert all((folder / name).is_file() for name in files)
    already = set(re.findall(r'static/js/([\w.$-]+\.js)"', INDEX))
    assert not already & set(files)
    selectbox = next(name for name in files if name.startswith("Selectbox."))
    imported = set(re.findall(r'"\./([\w.$-]+\.js)"', (folder / selectbox).read_text(encoding="utf-8")))
    assert imported - already <= set(files), "each file it imports, in turn"
    assert element_files(("NoSuchElement",)) == ()


def answered(path: str, query: str = "") -> str:
    (route,) = [r for r in page_routes(["map", "themes"]) if r.path == path]
    scope = {"type": "http", "method": "GET", "path": path, "query_string": query.encode(), "headers": []}
    # In a thread of its own: after the browser tests, Playwright's event loop runs in this one.
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, route.endpoint(Request(scope))).result().body.decode()


def asked_ahead(html: str) -> list[str]:
    return json.loads(re.search(r"for \(const file of (\[.*?\]|\(\))\)", html).group(1))


def test_each_page_asks_for_its_own_element_code_once_the_server_answers(monkeypatch):
    monkeypatch.setenv(ENABLE_ENV, "off")  # the page itself; what the map's first response adds: test_preview.py
    landing, projector, themes = answered("/"), answered("/", "present=1"), answered("/themes")
    assert asked_ahead(projector) == list(element_files(PRESENTATION_ELEMENTS))
    assert not any(name.startswith("Selectbox.") for name in asked_ahead(projector)), "no sidebar on a projector"
    assert any(name.startswith("PlotlyChart.") for name in asked_ahead(themes))
    for html in (projector, themes):
        assert BASE_SCRIPT in html and '"/_stcore/health"' in html
        assert html.index("modulepreload") < html.index('type="module"')
    # The map page's first run draws four kinds before the map; Streamlit's own requests for them beat ours.
    assert landing == page_html(), "the base named, nothing asked ahead"


def test_each_kind_comes_with_all_it_imports_before_the_next_kind():
    """The browser fetches six files at a time: a kind's code is whole only once its last import arrives."""
    metric, selectbox = element_files(("Metric",)), element_files(("Selectbox",))
    both = element_files(("Metric", "Selectbox"))
    assert both[:len(metric)] == metric
    assert set(both[len(metric):]) == set(selectbox) - set(metric)


def test_what_a_page_draws_first_is_asked_for_before_the_sidebar():
    """The charts on Themes (and the numbers above them, HTML) wait for no sidebar widget's code."""
    files = element_files(PAGE_ELEMENTS["themes"])
    needed = element_files(("PlotlyChart", "Html"))
    sidebar_only = set(element_files(("Selectbox", "Multiselect", "TextInput"))) - set(needed)
    assert max(files.index(name) for name in needed) < min(files.index(name) for name in sidebar_only)


@pytest.mark.parametrize(("path", "base", "target"), [
    ("/no-such-page", "", "./"), ("/no-such-page/", "", "../"), ("/yj/gone", "yj", "./"),
    ("/themes", "", None), ("/", "", None), ("/favicon.png", "", None), ("/_stcore", "", None),
    ("/oauth2callback", "", None), ("/auth", "", None), ("/a/b", "", None), ("/yj", "yj", None),
    ("/gone", "yj", None),
])
def test_a_page_path_that_names_no_page_goes_to_the_landing_page(path, base, target):
    assert unknown_page(path, {"themes", "coverage", "explorer", "about"}, base) == target


def test_streamlits_words_are_said_in_kyrgyz_and_russian_and_reach_the_page_intact():
    with WORDS_FILE.open("rb") as handle:
        words = tomllib.load(handle)
    assert set(words) == {"ky", "ru"} and set(words["ky"]) == set(words["ru"]), "each word in both languages"
    assert all(value and not value.isascii() for lang in words.values() for value in lang.values())
    html = page_html()
    start = html.index("(function (WORDS)")
    script = html[start:html.index("</script>", start)]
    table = json.loads(script[script.rindex("})(") + 3:script.rindex(");")])
    assert table == words, "the table the page carries is the file's"
    assert html.index(script) < html.index('type="module"'), "it watches the page before Streamlit draws it"
