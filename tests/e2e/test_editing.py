"""Programme staff keep the data (issue 29), for real: sign-in through a local OpenID Connect provider on
loopback, an LSG grant filled in through the table, a viewer in another browser who sees it on the map, the
history and a restore; an upload with errors, named in Russian; and what a viewer can never reach.
"""

from __future__ import annotations

import csv
import getpass
import io
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, expect

from bench.load import Client, Tally
from initiatives.store import Store
from tests.conftest import ROOT, run_async
from tests.e2e.conftest import Server, click_circle_named, free_port, start_server, wait_for_map, watch
from tests.e2e.signin import (
    BLOCKED_STYLESHEET_ERROR,
    EDITOR,
    OTHER_ACCOUNT,
    PROVIDER_STYLESHEET,
    TIMEOUT,
    fill_first_row,
    secrets_file,
    sign_in,
)
from ui.i18n import t

GRANTEE = "Токмок шаардык кеңеши <b>x</b>"  # with markup, which must show as typed
TITLE = "Жаштар менен тынчтык диалогу"
SOURCE = "Grant agreement LSG-01, 2022-03-10"
HOSTILE = "<img src=x onerror=window.__pwned=1>"


@dataclass
class Editing:
    server: Server
    provider: str
    database: str

    def store(self) -> Store:
        return Store(self.database)


@pytest.fixture(scope="module")
def editing(tmp_path_factory, provider) -> Iterator[Editing]:
    """The dashboard with sign-in configured and a store of its own (SQLite in a fresh data folder)."""
    folder = tmp_path_factory.mktemp("editing")
    port = free_port()
    secrets = secrets_file(folder, f"http://127.0.0.1:{port}", provider)
    data = folder / "data"
    server = start_server(folder, port=port, env={"YJ_DATA_DIR": str(data)},
                          options=("--secrets.files", str(secrets)))
    yield Editing(server, provider, f"sqlite:///{data / 'versions.sqlite'}")
    server.stop()


def test_an_editor_fills_in_an_lsg_grant_a_viewer_sees_it_and_the_history_restores(editing, browser: Browser):
    store = editing.store()
    assert store.current() == 1
    editor_context = browser.new_context(viewport={"width": 1366, "height": 1400})
    page = editor_context.new_page()
    watched = watch(page)
    sign_in(page, editing.server.url, EDITOR)
    page.get_by_role("link", name="Edit data").click()
    expect(page.get_by_role("heading", name="Edit data")).to_be_visible(timeout=TIMEOUT)
    # The LSG grants come first; LSG-01 is the first row. Columns: grantee 3, legal form 4, title 5,
    # themes 8, target groups 9, source 10.
    fill_first_row(page, [(3, GRANTEE), (4, "not stated"), (5, TITLE), (8, "Youth participation"),
                          (9, "Young people"), (10, SOURCE)], multiple=(8, 9))
    page.get_by_role("button", name="Check the changes").click()
    expect(page.get_by_text("Records added: 0; changed: 1; removed: 0")).to_be_visible(timeout=TIMEOUT)
    assert not page.evaluate("document.body.innerHTML.includes('<b>x</b>')"), "the preview shows markup as text"
    page.get_by_label("Note (required): what changed and why").fill("LSG-01 from its grant agreement")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_text("Saved as version 2.")).to_be_visible(timeout=TIMEOUT)
    saved = {c.field: c.new for c in store.changes_of(2)}
    assert saved == {"grantee": GRANTEE, "legal_form": "not_stated", "title_ky": TITLE, "themes": "youth",
                     "target_groups": "youth", "source": SOURCE, "source_status": "published"}
    assert store.version(2).author == EDITOR

    # A viewer, in a browser of their own, sees the grant on the map, with its markup as text.
    viewer = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    viewer.goto(f"{editing.server.url}/?lang=en&oblast=KG-C")
    click_circle_named(viewer, wait_for_map(viewer), "Tokmok")
    expect(viewer.get_by_text(GRANTEE).first).to_be_visible(timeout=TIMEOUT)
    assert not viewer.evaluate("document.body.innerHTML.includes('<b>x</b>')"), "the markup stays text"
    expect(viewer.get_by_role("link", name="Edit data")).to_have_count(0)
    expect(viewer.get_by_role("link", name="History")).to_have_count(0)

    # The history lists the save and restores the version before it, as a new version.
    page.get_by_role("link", name="History").click()
    expect(page.get_by_text("The current version is 2.", exact=False)).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("combobox", name="Show the changes of").click()
    page.get_by_role("option", name="Version 1", exact=True).click()
    page.get_by_label("Note for the restore (required)").fill("Back to the newsletter's data")
    page.get_by_label("Note for the restore (required)").press("Enter")
    page.get_by_role("button", name="Restore version 1 as a new version").click()
    expect(page.get_by_text("Restored as version 3.")).to_be_visible(timeout=TIMEOUT)
    assert store.files(3) == store.files(1) and store.version(3).restores == 1
    # The test provider's own sign-in form asks a CDN for its stylesheet (it is the mock's page, not ours, and
    # a real identity provider is online by nature); everything else stayed on 127.0.0.1.
    watched.blocked = [url for url in watched.blocked if not url.startswith(PROVIDER_STYLESHEET)]
    watched.console_errors = [e for e in watched.console_errors if e != BLOCKED_STYLESHEET_ERROR]
    watched.assert_clean()
    editor_context.close()


def three_errors_csv(store: Store) -> bytes:
    """The current initiatives as the codes-only CSV, with three errors put in by hand (csv module only)."""
    export = subprocess.run([sys.executable, "-m", "initiatives", "export"], cwd=ROOT, capture_output=True,
                            text=True, check=True, env={"YJ_DATABASE_URL": store.url, "PATH": "/usr/bin:/bin",
                                                        "PYTHONPATH": str(ROOT)})
    reader = csv.DictReader(io.StringIO(export.stdout))
    rows = list(reader)
    rows[1]["grant_type"] = HOSTILE  # row 3
    rows[3]["status_as_of"] = "2022-13-40"  # row 5
    rows[5]["themes"] = "no_such_theme"  # row 7
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_an_upload_with_three_errors_names_them_in_russian_and_saves_nothing(editing, browser: Browser, tmp_path):
    store = editing.store()
    before = store.current()
    upload = tmp_path / "initiatives-edited.csv"
    upload.write_bytes(three_errors_csv(store))
    context = browser.new_context(viewport={"width": 1366, "height": 1400})
    page = context.new_page()
    sign_in(page, editing.server.url, EDITOR, lang="ru")
    page.goto(f"{editing.server.url}/edit?lang=ru")
    page.get_by_role("tab", name="Загрузка таблицы").click()
    page.locator('input[type="file"]').set_input_files(str(upload))
    page.get_by_role("button", name="Проверить файл").click()
    expect(page.get_by_text("Не сохранено: нужно исправить 3 ошибки.", exact=False)).to_be_visible(timeout=TIMEOUT)
    table = page.locator('[data-testid="stTable"]')
    expect(table.locator("tbody tr")).to_have_count(3, timeout=TIMEOUT)  # drawn whole, not mid-rerun
    rows = [r.split("\t") for r in table.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText.trim()).join('\\t'))")]
    found = {(r[1], r[2]) for r in rows}
    assert found == {("3", "Тип гранта (код) · grant_type"), ("5", "Статус, на дату · status_as_of"),
                     ("7", "Темы (коды) · themes")}, rows
    messages = " ".join(r[3] for r in rows)
    assert f"неизвестное значение «{HOSTILE}»" in messages and "«2022-13-40» — не дата" in messages
    assert page.evaluate("window.__pwned === undefined"), "the quoted value stayed text"
    assert "неизвестный код «no_such_theme»" in messages
    assert all(r[0] == upload.name for r in rows)
    assert store.current() == before, "nothing was saved"
    context.close()


def test_an_account_not_on_the_editors_list_gets_no_edit_page(editing, browser: Browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, editing.server.url, OTHER_ACCOUNT)
    expect(page.get_by_text("This account is not on the editors list", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="Edit data")).to_have_count(0)
    page.goto(f"{editing.server.url}/edit?lang=en")
    page.get_by_text("Initiatives", exact=False).first.wait_for(timeout=TIMEOUT)
    expect(page.get_by_role("heading", name="Edit data")).to_have_count(0)
    context.close()


class Recorder(Client):
    """bench.load's client, also keeping every text the server draws."""

    def __init__(self, url: str):
        super().__init__(url, Tally(), random.Random(0))
        self.drawn: list[str] = []

    def read_delta(self, forward) -> None:
        super().read_delta(forward)
        if forward.delta.WhichOneof("type") == "new_element":
            self.drawn.append(str(forward.delta.new_element))


async def forged_edit(url: str) -> Recorder:
    """A client that is signed in as nobody asks for the edit and history pages, and sends the save and restore
    buttons' triggers under every id shape Streamlit gives them."""
    client = Recorder(url)
    await client.connect()
    try:
        await client.open()
        for page_name in ("edit", "history"):
            client.page_name = page_name
            for key in ("edit_save", "history_restore", "edit_check", "edit_check_upload"):
                client.widgets[f"$$ID-forged-{key}"] = ("trigger_value", True)
            await client.rerun()
    finally:
        await client.ws.close()
    return client


def test_a_forged_message_from_a_session_not_signed_in_reaches_no_edit(editing):
    store = editing.store()
    before = store.current()
    client = run_async(forged_edit(editing.server.url))
    assert client.tally.errors == []
    drawn = "\n".join(client.drawn)
    for never in ("Edit data", "edit_save", "History", "history_restore", "Check the changes"):
        assert never not in drawn, never
    assert store.current() == before


def test_local_editing_mode_refuses_a_server_others_can_reach(tmp_path):
    result = subprocess.run([sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
                             "--server.address", "0.0.0.0", "--server.port", str(free_port()),
                             "--server.headless", "true", "--browser.gatherUsageStats", "false",
                             "--", "--edit-locally"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "YJ_DATA_DIR": str(tmp_path),
                                 "HOME": str(tmp_path)})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "not on loopback only" in result.stderr


@pytest.fixture(scope="module")
def local_editing(tmp_path_factory) -> Iterator[Server]:
    """An officer's laptop: --edit-locally on loopback, a store of its own with one save in it."""
    folder = tmp_path_factory.mktemp("local-editing")
    store = Store(f"sqlite:///{folder / 'data' / 'versions.sqlite'}")
    from tests.unit.test_store import edited

    store.save(1, edited(store.files(1), "CSO-05", title_ru="Исправленное название"), "officer@example.org",
               "Название исправлено по договору")
    server = start_server(folder, env={"YJ_DATA_DIR": str(folder / "data")}, app_args=("--edit-locally",))
    yield server
    server.stop()


@pytest.mark.parametrize("lang", ["ky", "ru"])
@pytest.mark.parametrize("path", ["edit", "history"])
def test_the_editors_pages_speak_the_chosen_language(local_editing, new_page, lang, path):
    """As the viewers' pages do (test_languages): the page's text and its buttons' labels, with the check's
    result on the edit page and a version's changes on the history page."""
    from tests.e2e.test_languages import chrome_words, foreign_words, visible_text

    watched = new_page(1400, 1600)
    page = watched.page
    page.goto(f"{local_editing.url}/{path}?lang={lang}")
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=TIMEOUT)
    if path == "edit":
        page.locator('[data-testid="stBaseButton-primary"]').first.click()  # check: nothing changes
        page.locator('[data-testid="stAlert"]').first.wait_for(timeout=TIMEOUT)
    else:
        page.get_by_role("combobox", name=t("history_show", lang)).click()
        page.get_by_role("option", name=t("history_version_label", lang, number=1), exact=True).click()
        page.locator('[data-testid="stDataFrame"]').nth(1).wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(1500)
    user = getpass.getuser()
    text = visible_text(page).replace(user, " ").replace("officer@example.org", " ")
    assert foreign_words(text) == set(), f"English on {path} in {lang}"
    assert foreign_words(chrome_words(page)) == set(), f"English in the labels of {path} in {lang}"
    watched.assert_clean()


class Visitor(Recorder):
    """A raw websocket client that sends the Host, Origin and other headers it is given, as a page at another
    name rebound to 127.0.0.1, or a proxy, would."""

    def __init__(self, url: str, host: str, origin: str | None, headers: dict[str, str]):
        super().__init__(url)
        self.host, self.origin, self.headers = host, origin, headers

    async def connect(self) -> None:
        import websockets

        port = int(self.url.rsplit(":", 1)[1])
        # The URL names the Host sent; the socket goes to this machine's port all the same, as after a rebinding.
        self.ws = await websockets.connect(f"ws://{self.host}/_stcore/stream", host="127.0.0.1", port=port,
                                           subprotocols=["streamlit"], origin=self.origin,
                                           additional_headers=self.headers, max_size=64 * 2**20)


async def edit_page_drawn(url: str, host: str, origin: str | None, headers: dict[str, str]) -> bool | None:
    """Whether the session this visitor opens draws the Edit page (None: the server refused the connection)."""
    import websockets

    client = Visitor(url, host, origin, headers)
    try:
        await client.connect()
    except (websockets.exceptions.InvalidStatus, websockets.exceptions.InvalidHandshake, OSError):
        return None
    try:
        await client.open()
        client.page_name = "edit"
        await client.rerun()
    except websockets.exceptions.ConnectionClosed:
        return None
    finally:
        await client.ws.close()
    return any('body: "Edit data"' in drawn for drawn in client.drawn)


FORWARDING_VARIANTS = [{"Via": "1.1 proxy"}, {"X-Forwarded-Host": "laptop.example"}, {"X-Forwarded-Proto": "https"},
                       {"X-Original-Forwarded-For": "192.0.2.7"}, {"CF-Connecting-IP": "192.0.2.7"},
                       {"True-Client-IP": "192.0.2.7"}, {"X-Forwarded-For": ""}, {"Forwarded": "for=192.0.2.7"},
                       {"X-Real-IP": "192.0.2.7"}, {"X-Client-IP": "192.0.2.7"}]


def test_local_editing_is_for_this_machine_only(local_editing):
    """On the code before: a page at a rebound name got Edit (and saved), and so did a request carrying any of
    these forwarding headers but the three that were checked."""
    url = local_editing.url
    port = url.rsplit(":", 1)[1]
    own = f"127.0.0.1:{port}"
    assert run_async(edit_page_drawn(url, own, url, {})) is True, "the officer at the laptop edits"
    assert run_async(edit_page_drawn(url, f"localhost:{port}", f"http://localhost:{port}", {})) is True
    rebound = [(f"evil.example:{port}", f"http://evil.example:{port}"), (f"evil.example:{port}", None),
               (own, f"http://evil.example:{port}"), (own, "null"), (own, f"http://127.0.0.1:{int(port) + 1}")]
    for host, origin in rebound:
        assert not run_async(edit_page_drawn(url, host, origin, {})), (host, origin)
    for headers in FORWARDING_VARIANTS:
        assert not run_async(edit_page_drawn(url, own, url, headers)), headers
    assert Store(f"sqlite:///{local_editing.log.parent / 'data' / 'versions.sqlite'}").current() == 2


def test_a_page_at_another_name_gets_nothing_from_a_local_editing_server(local_editing):
    import urllib.error
    import urllib.request

    port = local_editing.url.rsplit(":", 1)[1]
    for path in ("/", "/edit", "/_stcore/health"):
        request = urllib.request.Request(local_editing.url + path, headers={"Host": f"evil.example:{port}"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 403, path
    with urllib.request.urlopen(local_editing.url + "/_stcore/health", timeout=30) as response:
        assert response.status == 200


def test_a_cookie_copied_before_sign_out_writes_nothing_after_it(editing, browser: Browser):
    """On the code before: the copy still opened Edit, and saved, for the cookie's 30 days."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, editing.server.url, EDITOR)
    expect(page.get_by_role("link", name="Edit data")).to_be_visible(timeout=TIMEOUT)
    copied = context.cookies()
    assert any(c["name"].startswith("_streamlit_user") for c in copied)
    lifetime = max(c["expires"] for c in copied if c["name"].startswith("_streamlit_user")) - time.time()
    assert 0 < lifetime <= 8 * 3600 + 60, "the browser keeps the sign-in for hours, not weeks"
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/end_session**", timeout=TIMEOUT)  # Streamlit hands the sign-out on to the provider
    context.close()

    thief = browser.new_context(viewport={"width": 1366, "height": 900})
    thief.add_cookies(copied)
    page = thief.new_page()
    page.goto(f"{editing.server.url}/?lang=en")
    expect(page.get_by_text("This sign-in has ended", exact=False)).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("link", name="Edit data")).to_have_count(0)
    page.goto(f"{editing.server.url}/edit?lang=en")
    page.get_by_text("Initiatives", exact=False).first.wait_for(timeout=TIMEOUT)
    expect(page.get_by_role("heading", name="Edit data")).to_have_count(0)
    thief.close()


@pytest.mark.parametrize("path", ["/", "/explorer?lang=ru", "/_stcore/health", "/app/static/page/map-preview.js",
                                  "/no-such-page"])
def test_the_app_alone_sends_the_security_headers(local_editing, path):
    """As the README's first command runs it, without nginx. On the code before: none of the four."""
    import urllib.error
    import urllib.request

    try:
        response = urllib.request.urlopen(local_editing.url + path, timeout=30)
    except urllib.error.HTTPError as answered:  # a refusal carries them too
        response = answered
    headers = response.headers
    assert headers["X-Frame-Options"] == "SAMEORIGIN", path
    assert headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_back_from_the_provider_the_page_speaks_the_language_it_had(editing, browser: Browser):
    """On the code before: the provider sent the browser back to a bare URL, which opened in English."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, editing.server.url, OTHER_ACCOUNT, lang="ru")
    expect(page.get_by_text(f"Вы вошли: {OTHER_ACCOUNT}")).to_be_visible(timeout=TIMEOUT)
    assert "Инициативы" in page.inner_text("body")
    context.close()
