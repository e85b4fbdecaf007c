"""How `streamlit run dashboard.py` serves deep links (issue 13); the browser test shows the effect."""

from pathlib import Path

from streamlit import file_util
from streamlit.web.server.app_discovery import discover_asgi_app

from tests.conftest import ROOT
from ui.server import BASE_SCRIPT, deep_link_routes, page_html


def test_streamlit_run_finds_the_app_with_its_routes_in_dashboard_py():
    found = discover_asgi_app(ROOT / "dashboard.py")
    assert found.is_asgi_app and found.import_string == "dashboard:app"


def test_the_base_is_named_before_any_of_streamlits_scripts_runs():
    original = (Path(file_util.get_static_dir()) / "index.html").read_text(encoding="utf-8")
    html = page_html()
    assert html.replace(BASE_SCRIPT, "", 1) == original
    assert html.index(BASE_SCRIPT) < html.index("<script", html.index(BASE_SCRIPT) + 1)
    assert html.index(BASE_SCRIPT) < html.index('type="module"')


def test_only_the_given_pages_are_answered():
    assert [route.path for route in deep_link_routes(["themes", "about"])] == ["/themes", "/about"]
