"""The editing deployment (issue 29), run for real: the shipped nginx config in front of two Streamlit processes
that share one PostgreSQL store (a throw-away cluster), with sign-in through a local OpenID Connect provider.

Checks: the identity cookie survives the proxy (an editor signs in through nginx and reaches Edit data); a save
through one process is seen through the other, with no restart; local editing mode behind a proxy edits nothing.
"""

from __future__ import annotations

import contextlib
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from bench.load import Client, Tally
from initiatives.store import Store
from tests.conftest import run_async
from tests.deploy.test_nginx import PASSWORD, USER, auth_header, fetch, start_nginx, stop_nginx
from tests.e2e.conftest import Server, free_port, start_server
from tests.e2e.signin import EDITOR, TIMEOUT, fill_first_row, secrets_file, sign_in
from tests.postgres import new_database

TITLE = "Saved through the proxy"


@dataclass
class Shared:
    url: str
    servers: list[Server]
    database: str


@contextlib.contextmanager
def shared_deployment(folder: Path, database: str, provider: str, app_args: tuple[str, ...] = ()
                      ) -> Iterator[Shared]:
    """Two processes on one PostgreSQL store behind the shipped nginx; sign-in's return address is the proxy's."""
    port = free_port()
    secrets = secrets_file(folder, f"https://127.0.0.1:{port}", provider)
    with contextlib.ExitStack() as running:
        servers = []
        for n in range(2):
            servers.append(start_server(folder, env={"YJ_DATABASE_URL": database, "YJ_DATA_DIR": str(folder / f"d{n}")},
                                        options=("--secrets.files", str(secrets)), app_args=app_args))
            running.callback(servers[-1].stop)
        url = start_nginx(folder, servers, port=port)
        running.callback(stop_nginx, folder)
        yield Shared(url, servers, database)


@pytest.fixture(scope="module")
def shared(tmp_path_factory, postgres_server, provider) -> Iterator[Shared]:
    with shared_deployment(tmp_path_factory.mktemp("shared"), new_database(postgres_server), provider) as running:
        yield running


class Reader(Client):
    """A viewer speaking to one process directly, keeping what it draws."""

    def __init__(self, url: str):
        super().__init__(url, Tally(), random.Random(0))
        self.drawn = b""

    def read_delta(self, forward) -> None:
        super().read_delta(forward)
        self.drawn += forward.SerializeToString()


async def about_of(url: str) -> bytes:
    """What the About page draws, asked of one process: it says which version the data is."""
    reader = Reader(url)
    await reader.connect()
    try:
        reader.page_name = "about"
        await reader.rerun()
    finally:
        await reader.ws.close()
    return reader.drawn


def test_an_editor_signs_in_through_nginx_and_a_save_through_one_process_is_seen_through_the_other(
        shared, browser: Browser):
    for server in shared.servers:
        assert b"(version 1)" in run_async(about_of(server.url))
    context = browser.new_context(viewport={"width": 1366, "height": 1400}, ignore_https_errors=True,
                                  http_credentials={"username": USER, "password": PASSWORD})
    page = context.new_page()
    sign_in(page, shared.url, EDITOR)  # the identity cookie set at /oauth2callback, through the proxy
    page.get_by_role("link", name="Edit data").click()
    expect(page.get_by_role("heading", name="Edit data")).to_be_visible(timeout=TIMEOUT)
    fill_first_row(page, [(14, f" {TITLE}")])  # LSG-01's reading note of its status, added to
    page.get_by_role("button", name="Check the changes").click()
    expect(page.get_by_text("Records added: 0; changed: 1; removed: 0")).to_be_visible(timeout=TIMEOUT)
    page.get_by_label("Note (required): what changed and why").fill("through the proxy")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_text("Saved as version 2.")).to_be_visible(timeout=TIMEOUT)
    context.close()
    assert Store(shared.database).version(2).author == EDITOR
    for server in shared.servers:  # each process, asked directly: both read the one store, with no restart
        assert b"(version 2)" in run_async(about_of(server.url)), server.url
    assert TITLE in Store(shared.database).files(2)["initiatives.csv"]


def test_local_editing_mode_behind_the_proxy_edits_nothing(tmp_path, postgres_server, provider, browser: Browser):
    with shared_deployment(tmp_path, new_database(postgres_server), provider, app_args=("--edit-locally",)) as running:
        assert fetch(running.url + "/", {"Authorization": auth_header()})[0] == 200
        context = browser.new_context(ignore_https_errors=True, http_credentials={"username": USER,
                                                                                  "password": PASSWORD})
        page = context.new_page()
        page.goto(f"{running.url}/?lang=en")
        page.get_by_role("link", name="Explorer").wait_for(timeout=TIMEOUT)
        expect(page.get_by_role("link", name="Edit data")).to_have_count(0)
        expect(page.get_by_text(re.compile("Local editing mode"))).to_have_count(0)
        context.close()
        # Straight to one process on loopback, not through the proxy: there the officer's laptop edits.
        local = browser.new_page()
        local.goto(f"{running.servers[0].url}/?lang=en")
        expect(local.get_by_role("link", name="Edit data")).to_be_visible(timeout=TIMEOUT)
        local.close()

