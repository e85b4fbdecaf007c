"""Who may write, as ui.auth decides it: the editors list matched exactly, the provider's "verified" taken only
as the JSON value true, a sign-in bounded in age and ended on the server at sign-out, local editing for this
machine only; and the secrets file never committed."""

from __future__ import annotations

import subprocess
import time

import pytest

from initiatives.store import Store
from tests.conftest import ROOT
from ui.auth import MAX_SIGN_IN_AGE_S, listed, local_request_problem, sign_in_problem
from ui.hosts import local_host
from ui.server import bounded_cookie

EDITORS = ("ross@example.org", "Officer@Example.org", "ünal@example.org")


@pytest.mark.parametrize("email", ["ross@example.org", "ROSS@example.org", "officer@example.org",
                                   " Officer@EXAMPLE.org ", "ünal@example.org"])
def test_a_listed_address_is_an_editor_whatever_its_ascii_case(email):
    assert listed(email, EDITORS)


@pytest.mark.parametrize("email", ["roß@example.org", "ro\u017fs@example.org", "\u212aoss@example.org",
                                   "ross@example.org\u200b", "Ünal@example.org", "ÜNAL@example.org",
                                   "\ufb01@example.org", "someone@example.org", ""])
def test_an_address_that_only_folds_to_a_listed_one_is_not(email):
    """On the code before: ß, ſ, the Kelvin sign and ﬁ passed by Unicode case folding."""
    assert not listed(email, (*EDITORS, "fi@example.org", "kross@example.org"))


NOW = 1_800_000_000


def claims(**changes) -> dict:
    return {"email": "ross@example.org", "email_verified": True, "iat": NOW - 60, "sub": "ross", **changes}


@pytest.mark.parametrize("verified", [None, "false", "true", 0, 1, "yes", [True]])
def test_only_the_json_value_true_verifies_an_email(verified):
    """On the code before: missing, "false" and 0 all counted as verified."""
    user = claims(email_verified=verified) if verified is not None else {
        k: v for k, v in claims().items() if k != "email_verified"}
    assert sign_in_problem(user, NOW) == "e-mail not verified"
    assert sign_in_problem(claims(), NOW) is None


def test_a_sign_in_older_than_its_bound_writes_nothing():
    assert sign_in_problem(claims(iat=NOW - MAX_SIGN_IN_AGE_S + 5), NOW) is None
    assert sign_in_problem(claims(iat=NOW - MAX_SIGN_IN_AGE_S - 5), NOW) == "expired"
    assert sign_in_problem(claims(iat=NOW - 30 * 86400), NOW) == "expired", "a month-old cookie"
    assert sign_in_problem(claims(iat=NOW + 3600), NOW) == "issued in the future"
    assert sign_in_problem(claims(iat="1800000000"), NOW) == "no issue time"
    assert sign_in_problem(claims(iat=True), NOW) == "no issue time"
    assert MAX_SIGN_IN_AGE_S <= 12 * 3600, "hours, not weeks"


def test_a_sign_out_is_kept_by_the_store_for_every_process(tmp_path):
    url = f"sqlite:///{tmp_path / 'versions.sqlite'}"
    one, other = Store(url), Store(url)
    assert not other.signed_out("ross", NOW)
    one.sign_out("ross", NOW)
    one.sign_out("ross", NOW)  # twice (two tabs): still one sign-out
    assert other.signed_out("ross", NOW)
    assert not other.signed_out("ross", NOW + 1), "a new sign-in is a new one"


def test_the_sign_in_cookie_lives_hours_not_weeks():
    cookie = b"_streamlit_user=abc; HttpOnly; Max-Age=2592000; Path=/; SameSite=lax"
    assert bounded_cookie(cookie, 8 * 3600) == b"_streamlit_user=abc; HttpOnly; Max-Age=28800; Path=/; SameSite=lax"
    assert b"Max-Age=28800" in bounded_cookie(cookie.replace(b"_streamlit_user=", b"_streamlit_user_tokens="), 28800)
    assert bounded_cookie(b"_streamlit_xsrf=x; Max-Age=2592000", 28800) == b"_streamlit_xsrf=x; Max-Age=2592000"
    assert bounded_cookie(b"_streamlit_user=; Max-Age=0; Path=/", 28800) == b"_streamlit_user=; Max-Age=0; Path=/"


OWN = {"Host": "127.0.0.1:8501", "Origin": "http://127.0.0.1:8501", "User-Agent": "Chromium"}


@pytest.mark.parametrize("headers", [OWN, {"Host": "localhost:8501"}, {"host": "[::1]:8501", "origin": "http://[::1]:8501"},
                                     {"Host": "127.0.0.1:8501", "Origin": "http://127.0.0.1:8501"}])
def test_a_request_from_this_machine_edits_locally(headers):
    assert local_request_problem(headers, "127.0.0.1") is None


@pytest.mark.parametrize("headers", [
    {**OWN, "Host": "evil.example:8501"}, {**OWN, "Origin": "http://evil.example:8501"}, {**OWN, "Origin": "null"},
    {**OWN, "Origin": "http://127.0.0.1:9999"}, {**OWN, "Origin": "http://localhost:8501"}, {"Origin": OWN["Origin"]},
    {**OWN, "Host": "127.0.0.1.evil.example:8501"}, {**OWN, "Host": "localhost.:8501"},
    {**OWN, "Via": "1.1 proxy"}, {**OWN, "X-Forwarded-Host": "laptop"}, {**OWN, "X-Forwarded-Proto": "https"},
    {**OWN, "X-Original-Forwarded-For": "192.0.2.1"}, {**OWN, "CF-Connecting-IP": "192.0.2.1"},
    {**OWN, "True-Client-IP": "192.0.2.1"}, {**OWN, "X-Forwarded-For": ""}, {**OWN, "x-forwarded-for": "1.2.3.4"},
    {**OWN, "Forwarded": "for=192.0.2.1"}, {**OWN, "X-Real-IP": "192.0.2.1"}, {**OWN, "X-Client-IP": "192.0.2.1"},
    {**OWN, "X-Cluster-Client-IP": "192.0.2.1"}, {**OWN, "Fastly-Client-IP": "192.0.2.1"},
])
def test_a_request_from_elsewhere_or_through_a_proxy_does_not(headers):
    """On the code before: a rebound Host or Origin, and every forwarding header but three, got Edit."""
    assert local_request_problem(headers, "127.0.0.1") is not None


@pytest.mark.parametrize("peer", ["192.0.2.1", "10.0.0.5", "::ffff:192.0.2.1", "", None, "not an address"])
def test_a_peer_elsewhere_does_not(peer):
    assert local_request_problem(OWN, peer) is not None


def test_the_first_response_guard_knows_this_machines_names():
    assert all(local_host(h) for h in ("127.0.0.1:8501", "localhost", "[::1]:8501", "LOCALHOST:1"))
    assert not any(local_host(h) for h in ("evil.example:8501", "127.0.0.1.nip.io", "", "[::2]:8501", "0.0.0.0"))


def test_the_secrets_file_is_never_committed():
    """On the code before: `git check-ignore` did not name it, and `git add .` would commit the secrets."""
    for path in (".streamlit/secrets.toml",):
        found = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=ROOT)
        assert found.returncode == 0, f"{path} is not git-ignored"
    tracked = subprocess.run(["git", "ls-files", ".streamlit"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "secrets.toml" not in tracked


def test_the_clock_is_read_per_check():
    """The age is judged at each call: a session open for hours stops writing when its sign-in runs out."""
    now = time.time()
    assert sign_in_problem(claims(iat=now - 10), now) is None
    assert sign_in_problem(claims(iat=now - 10), now + MAX_SIGN_IN_AGE_S) == "expired"


@pytest.mark.parametrize("header, wanted", [("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", "ru"), ("ky", "ky"),
                                            ("en-GB,en;q=0.9", "en"), ("de-DE,ru;q=0.5,ky;q=0.8", "ky"),
                                            ("ru;q=0,en;q=0.1", "en"), ("fr-FR, de", None), ("", None), (None, None),
                                            ("ru;q=abc,ky;q=0.2", "ky"), ("KY-kg", "ky")])
def test_a_bare_url_speaks_the_browsers_language(header, wanted):
    from ui.i18n import accepted_language

    assert accepted_language(header) == wanted
