"""Each page's HTML: Streamlit's own index.html, plus two lines that make it open sooner and cleaner.

1. Deep links. Opened at `/themes`, Streamlit's frontend cannot tell a page from a base URL path, so it
   probes `/themes/_stcore/health` and `/themes/_stcore/host-config` first and logs two 404s before finding
   the server at `/` (streamlit/streamlit#7074, open). The page names the server's base
   (`window.__streamlit.BACKEND_BASE_URL`, read by the frontend before it probes), so the first probe is
   the right one.
2. The page's element code, fetched ahead (issue 15). Streamlit's frontend fetches the code of an element
   kind (a selectbox, a metric, the map's frame) only once the script has sent the first such element, one
   import after another (a selectbox: about 20 files), on the thread that then draws the map. Each page
   asks for the kinds it draws as soon as the frontend's first request to the server (`_stcore/health`)
   is answered: they arrive while it opens the websocket and waits for the script. Asked earlier (in the
   head), they slowed the frontend's own start as much as they saved (measured). The map page asks for
   nothing ahead (see PAGE_ELEMENTS), the projector view does.
3. Streamlit's and Plotly's own button words in the reader's language (WORDS_SCRIPT).
4. The landing page's first response carries the view's map (ui.preview), drawn while Streamlit boots.
5. A path that names no page is sent to the landing page with its query (UnknownPageRedirect), not shown
   Streamlit's English "Page not found" dialog.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from streamlit import config, file_util

from ui.hosts import local_host
from ui.i18n import LANGUAGES, LOCALES_DIR, RETURN_LANGUAGE_COOKIE, accepted_language
from ui.preview import preview_for, with_preview
from ui.state import PRESENT_VALUES

# The page's base is the folder its path sits in: `/themes?lang=ru` -> `/` (and `/yj/themes` -> `/yj/`).
BASE_SCRIPT = '<script>window.__streamlit={BACKEND_BASE_URL:new URL(".",location.href).href};</script>'

# Streamlit's names for the element kinds each page draws (its chunk files are named after them), in the
# order the page needs them: what is drawn with the map (or the charts) first, then the sidebar, then what
# lies below. The browser fetches six files at a time, so a kind listed late waits for the ones before it:
# listed after the sidebar's ~40 files, the numbers' code (and so the map beside them) came ~0.5 s late.
SIDEBAR_ELEMENTS = ("Selectbox", "Multiselect", "TextInput", "Checkbox", "Button")
#
# The map page asks for none: a session's first run there draws only what is above the map and the map
# (ui.state.map_first), and Streamlit's own requests for those few kinds get the map drawn sooner than
# ours, which compete with them for the six connections, the server and the browser's thread. Paired
# (bench.ab, README: Performance, fifth pass): the map painted 154-212 ms sooner on the landing page, 176 ms
# drilled; the whole page 48-65 ms later. The projector view draws everything at once and keeps its list.
PAGE_ELEMENTS = {
    "map": (),
    "themes": ("PlotlyChart", "Html", *SIDEBAR_ELEMENTS),
    "coverage": ("Radio", "Html", "DataFrame", "DownloadButton", *SIDEBAR_ELEMENTS),
    "explorer": ("Html", "DataFrame", "DownloadButton", *SIDEBAR_ELEMENTS),
    "about": ("Html", "DataFrame", *SIDEBAR_ELEMENTS),
}
# The map page on a projector (`?present=1`): no sidebar widgets (ui.state).
PRESENTATION_ELEMENTS = ("Metric", "ComponentInstance", "Html", "Button")

_IMPORT = re.compile(r'(?:from|import)\s*"\./([\w.$-]+\.js)"')
_LOADED = re.compile(r'(?:href|src)="\./static/js/([\w.$-]+\.js)"')  # what index.html loads itself

PRELOAD_SCRIPT = """<script>new PerformanceObserver((list, observer) => {
  if (!list.getEntries().some(entry => entry.name.endsWith("/_stcore/health"))) return;
  observer.disconnect();
  for (const file of %s) {
    const link = document.createElement("link");
    link.rel = "modulepreload";
    link.crossOrigin = "";
    link.dataset.ahead = "";
    link.href = window.__streamlit.BACKEND_BASE_URL + "static/js/" + file;
    document.head.append(link);
  }
}).observe({type: "resource"});</script>"""


WORDS_FILE = LOCALES_DIR / "streamlit.toml"
WORDS_JS = Path(__file__).resolve().parents[1] / "static" / "page" / "streamlit-words.js"


@cache
def words_script() -> str:
    """static/page/streamlit-words.js with its table (ui/locales/streamlit.toml), inlined: it must watch the
    page from its first element, and costs no request."""
    with WORDS_FILE.open("rb") as handle:
        words = tomllib.load(handle)
    table = json.dumps(words, ensure_ascii=False).replace("</", "<\\/")
    return "<script>" + WORDS_JS.read_text(encoding="utf-8").replace("__WORDS__", table) + "</script>"


def _static_dir() -> Path:
    return Path(file_util.get_static_dir())


@cache
def element_files(elements: tuple[str, ...]) -> tuple[str, ...]:
    """The chunk files these element kinds import (each kind's own file and every file it imports, in
    turn), less what index.html already loads; a kind this Streamlit does not name is left out."""
    folder = _static_dir() / "static" / "js"
    index = (_static_dir() / "index.html").read_text(encoding="utf-8")
    loaded = set(_LOADED.findall(index))
    names = sorted(p.name for p in folder.iterdir())
    found: list[str] = []
    for element in elements:  # each kind with all it imports before the next kind
        wanted = [name for name in names if re.fullmatch(rf"{re.escape(element)}\.[\w$-]+\.js", name)]
        if len(wanted) != 1:
            continue
        while wanted:
            name = wanted.pop(0)
            if name in loaded or name in found or not (folder / name).is_file():
                continue
            found.append(name)
            wanted.extend(_IMPORT.findall((folder / name).read_text(encoding="utf-8")))
    return tuple(found)


@cache
def page_html(elements: tuple[str, ...] = ()) -> str:
    """Streamlit's index.html with the base named, and the page's element code asked for, before any of
    its scripts run."""
    html = (_static_dir() / "index.html").read_text(encoding="utf-8")
    head = html.index("<head>") + len("<head>")
    files = element_files(elements)
    preload = PRELOAD_SCRIPT % json.dumps(files) if files else ""
    return html[:head] + BASE_SCRIPT + words_script() + preload + html[head:]


def _answer(page: str):
    async def answer(request: Request) -> HTMLResponse:
        present = page == "map" and request.query_params.get("present") in PRESENT_VALUES
        elements = PRESENTATION_ELEMENTS if present else PAGE_ELEMENTS.get(page, ())
        body = page_html(elements)
        if page == "map" and request.method == "GET":  # the view's map, drawn while Streamlit boots
            query = {key: request.query_params.getlist(key) for key in request.query_params}
            if "lang" not in query and (accepted := accepted_language(request.headers.get("accept-language"))):
                query["lang"] = [accepted]  # as the session will
            body = with_preview(body, await preview_for(query))
        return HTMLResponse(body, headers={"Cache-Control": "no-cache"})
    return answer


def page_routes(pages: Iterable[str]) -> list[Route]:
    """One route per page path (the map page is the landing page, `/`); every other path stays Streamlit's."""
    return [Route("/" if page == "map" else f"/{page}", _answer(page), methods=["GET", "HEAD"]) for page in pages]


# Streamlit's own first-level paths, which are not pages (sign-in's among them).
STREAMLIT_PATHS = ("_stcore", "static", "app", "component", "media", "auth", "oauth2callback", "healthz")


def unknown_page(path: str, pages: set[str], base: str = "") -> str | None:
    """Where a browser's GET of `path` should go instead: the landing page, for a one-segment path (under
    the server's base path) that is no page, no file (no dot) and none of Streamlit's own; else None."""
    prefix = "/" + base.strip("/") if base.strip("/") else ""
    if not path.startswith(prefix + "/"):
        return None
    rest = path[len(prefix) + 1:]
    name = rest.rstrip("/")
    if not name or "/" in name or "." in name or name in pages or name in STREAMLIT_PATHS:
        return None
    return "../" if rest.endswith("/") else "./"  # relative: it holds behind a proxy's own prefix


class UnknownPageRedirect:
    """`/no-such-page?lang=ru` opened Streamlit's English "Page not found" dialog over the map. A page
    request (a GET that accepts HTML) for a path that names no page goes to the landing page, query kept."""

    def __init__(self, app: ASGIApp, pages: Iterable[str]) -> None:
        self.app = app
        self.pages = {page for page in pages if page != "map"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            accepts = dict(scope.get("headers") or []).get(b"accept", b"")
            target = unknown_page(scope["path"], self.pages, str(config.get_option("server.baseUrlPath") or ""))
            if target and b"text/html" in accepts:
                query = scope.get("query_string", b"").decode("latin-1")
                await RedirectResponse(target + (f"?{query}" if query else ""), status_code=302)(scope, receive, send)
                return
        await self.app(scope, receive, send)


NAME_MAX_BYTES = 255  # the longest file name Linux file systems hold
STATIC_PREFIX = "/app/static/"


def unservable_static_name(path: str) -> bool:
    """A static file path no file system can hold: a name over NAME_MAX_BYTES bytes."""
    _, found, rest = path.partition(STATIC_PREFIX)
    return bool(found) and any(len(part.encode()) > NAME_MAX_BYTES for part in rest.split("/"))


class StaticNameGuard:
    """Streamlit's static handler answered a file name of 256 or more characters with HTTP 500 and logged a
    full traceback per request (its exists() check raises ENAMETOOLONG). Such a file cannot exist: 404."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and unservable_static_name(scope["path"]):
            await PlainTextResponse("File not found", status_code=404)(scope, receive, send)
            return
        await self.app(scope, receive, send)


SECURITY_HEADERS = (
    (b"x-frame-options", b"SAMEORIGIN"),  # framed only by our own pages (the map is a same-origin frame)
    (b"content-security-policy", b"frame-ancestors 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)
AUTH_COOKIE = re.compile(rb"^_streamlit_user")
COOKIE_MAX_AGE = re.compile(rb"(?i)max-age=(\d+)")


def bounded_cookie(value: bytes, limit: int) -> bytes:
    """A sign-in cookie's Max-Age cut to `limit` seconds (Streamlit gives it 30 days; the server refuses a
    sign-in older than ui.auth.MAX_SIGN_IN_AGE_S anyway, and the browser then forgets it too)."""
    if not AUTH_COOKIE.match(value):
        return value
    return COOKIE_MAX_AGE.sub(lambda m: b"Max-Age=%d" % min(int(m.group(1)), limit), value)


class SecurityHeaders:
    """The headers nginx adds (deploy/nginx) on every response the app serves itself too, since the README's
    first command runs it without nginx: no framing by other sites, no type sniffing, no referrer to
    elsewhere; and the sign-in cookie's lifetime bounded."""

    def __init__(self, app: ASGIApp, cookie_max_age: int) -> None:
        self.app = app
        self.cookie_max_age = cookie_max_age

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = [(name, bounded_cookie(value, self.cookie_max_age) if name.lower() == b"set-cookie"
                            else value) for name, value in message.get("headers", [])]
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in SECURITY_HEADERS if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class LocalHostGuard:
    """In local editing mode, a request (page or websocket) that names another host than this machine is
    refused with 403 before Streamlit sees it: a page elsewhere whose name was rebound to 127.0.0.1 gets
    nothing, not even the viewers' pages, since their session could still drive the laptop's store."""

    def __init__(self, app: ASGIApp, active: bool) -> None:
        self.app = app
        self.active = active

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.active and scope["type"] in ("http", "websocket"):
            host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
            if not local_host(host):
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                await PlainTextResponse("This server edits locally: open it at 127.0.0.1 or localhost.",
                                        status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)


RETURN_LANGUAGE_SECONDS = 600  # a sign-in's round trip through the provider


class ReturnLanguage:
    """The identity provider sends a browser back to the bare landing page, which spoke the default language.
    The start of a sign-in (`auth/login`) is asked for from the page the reader was on (its Referer, sent in
    full to our own origin: Referrer-Policy same-origin); its `lang` is kept in a short-lived cookie that the
    page it comes back to reads (ui.state.browser_language)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].endswith("/auth/login"):
            await self.app(scope, receive, send)
            return
        referer = dict(scope.get("headers") or []).get(b"referer", b"").decode("latin-1")
        lang = parse_qs(urlsplit(referer).query).get("lang", [""])[-1]

        async def send_with_cookie(message) -> None:
            if message["type"] == "http.response.start" and lang in LANGUAGES:
                cookie = (f"{RETURN_LANGUAGE_COOKIE}={lang}; Max-Age={RETURN_LANGUAGE_SECONDS}; Path=/; "
                          "HttpOnly; SameSite=Lax")
                message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", cookie.encode())]}
            await send(message)

        await self.app(scope, receive, send_with_cookie)
