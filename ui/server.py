"""Deep links that open as cleanly as the landing page.

Opened at `/themes`, Streamlit's frontend cannot tell a page from a base URL path, so it probes
`/themes/_stcore/health` and `/themes/_stcore/host-config` first and logs two 404s before finding the
server at `/` (streamlit/streamlit#7074, open). Each page's path is answered here with Streamlit's own
index.html plus one line that names the server's base (`window.__streamlit.BACKEND_BASE_URL`, read
by the frontend before it probes), so the first probe is the right one.
"""

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route
from streamlit import file_util

# The page's base is the folder its path sits in: `/themes?lang=ru` -> `/` (and `/yj/themes` -> `/yj/`).
BASE_SCRIPT = '<script>window.__streamlit={BACKEND_BASE_URL:new URL(".",location.href).href};</script>'


@cache
def page_html() -> str:
    """Streamlit's index.html with the base named before any of its scripts run."""
    html = (Path(file_util.get_static_dir()) / "index.html").read_text(encoding="utf-8")
    head = html.index("<head>") + len("<head>")
    return html[:head] + BASE_SCRIPT + html[head:]


async def _page(_request: Request) -> HTMLResponse:
    return HTMLResponse(page_html(), headers={"Cache-Control": "no-cache"})


def deep_link_routes(paths: Iterable[str]) -> list[Route]:
    """One route per page path; every other path stays Streamlit's."""
    return [Route(f"/{path}", _page, methods=["GET", "HEAD"]) for path in paths]
