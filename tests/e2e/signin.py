"""Signing in for real, shared by the editing tests in the browser and behind nginx: a local OpenID Connect
provider on loopback (oidc-provider-mock), the secrets file the README describes, and the officer's keyboard."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import SCRIPT_IDLE

EDITOR = "officer@example.org"
OTHER_ACCOUNT = "someone@example.org"  # can sign in, but is not on the editors list
TIMEOUT = 30_000
PROVIDER_STYLESHEET = "https://cdn.jsdelivr.net/npm/@picocss/"  # the mock's own form asks a CDN for it
BLOCKED_STYLESHEET_ERROR = "Failed to load resource: net::ERR_FAILED"  # what the console says of it


def secrets_file(folder: Path, app_url: str, provider: str) -> Path:
    """The editor's set-up as the README gives it: [auth] for the identity provider, [editors] for who edits."""
    path = folder / "secrets.toml"
    path.write_text(f"""[auth]
redirect_uri = "{app_url}/oauth2callback"
cookie_secret = "a-test-cookie-secret-of-thirty-two-chars"
client_id = "yj-dashboard"
client_secret = "yj-test-client-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[editors]
emails = ["{EDITOR}"]
""", encoding="utf-8")
    return path


def sign_in(page: Page, app_url: str, account: str, lang: str = "en") -> None:
    """Through the sidebar's button, the provider's form, and back."""
    page.goto(f"{app_url}/?lang={lang}")
    page.get_by_role("button", name={"en": "Staff sign-in", "ru": "Вход для сотрудников"}[lang]).click(
        timeout=TIMEOUT)
    page.get_by_placeholder("sub").fill(account, timeout=TIMEOUT)
    page.get_by_role("button", name="Authorize").click()
    # Back from the provider at the landing page (the language is the default one again: README, Editing).
    expect(page.get_by_text(re.compile(f"(Signed in|Вы вошли): {re.escape(account)}"))).to_be_visible(
        timeout=TIMEOUT)


def fill_first_row(page: Page, cells: list[tuple[int, str]], multiple: tuple[int, ...] = ()) -> None:
    """Fill cells of the initiatives table's first row by keyboard, as an officer does: columns counted from
    the id column (ui.editing.EDIT_ORDER), each cell opened with Enter, typed, committed with Enter (which
    moves down a row: back up). A multiselect cell (`multiple`) stays open after Enter picks an option: Tab
    closes it. Each commit reruns the page: the next key waits for that run to end, as an officer waits for
    the table to stop fading (keys pressed while a slow run was redrawing the table went to the wrong cell or
    nowhere, once in a CI run)."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=TIMEOUT)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 60, box["y"] + 35 + 17)  # the id cell of the first row
    column = 0
    for target, text in cells:
        for _ in range(target - column):
            page.keyboard.press("ArrowRight")
        column = target
        page.keyboard.press("Enter")
        page.wait_for_timeout(300)
        page.keyboard.type(text)
        page.wait_for_timeout(300)
        page.keyboard.press("Enter")
        page.wait_for_timeout(300)
        if target in multiple:
            page.keyboard.press("Tab")
            page.wait_for_timeout(300)
        page.locator(SCRIPT_IDLE).wait_for(state="attached", timeout=TIMEOUT)
        page.keyboard.press("ArrowUp")
