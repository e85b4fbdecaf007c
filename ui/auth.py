"""Who may change the records: the one place every page and every write asks (issue 29).

Viewers are everyone; an editor is someone signed in through the organisation's identity provider (Streamlit's
own OpenID Connect: `st.login`, `st.user`, the `[auth]` section of .streamlit/secrets.toml) whose e-mail is in
the configured editors list (`[editors] emails = [...]` in the same file). No password is stored by us.

A single laptop with no identity provider gets an explicit local editing mode, `streamlit run dashboard.py --
--edit-locally`: whoever sits at the machine edits. It refuses to start unless the server listens on loopback
only, where nobody else can reach it (`refuse_local_editing_off_loopback`, at start-up), and a session that came
through a proxy (which would let others reach it after all) edits nothing.
"""

from __future__ import annotations

import getpass
import sys

import streamlit as st
from streamlit.auth_util import get_secrets_auth_section

from ui.data import editable

EDIT_LOCALLY = "--edit-locally"
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
LOCAL_MODE = "local editing mode"  # beside the user's name, as a local save's author in the history


def shown_name(who: str) -> str:
    """An editor as a page names them: the local user's name without the history's English mark."""
    return who.removesuffix(f" ({LOCAL_MODE})")


def local_editing() -> bool:
    return EDIT_LOCALLY in sys.argv[1:]


def local_editing_problem(address: str) -> str | None:
    """Why local editing mode cannot start on a server listening on `address`, or None when it can."""
    if address.strip() in LOOPBACK:
        return None
    shown = address or "every network interface"
    return (f"{EDIT_LOCALLY}: the server listens on {shown}, not on loopback only, so anyone who can reach it "
            "could edit the records. Start it with --server.address 127.0.0.1, or sign editors in through an "
            "identity provider (README: Editing).")


def refuse_local_editing_off_loopback() -> None:
    """At start-up: local editing on a server others can reach exits before it serves anything."""
    if local_editing():
        problem = local_editing_problem(str(st.get_option("server.address") or ""))
        if problem:
            print(problem, file=sys.stderr)
            raise SystemExit(2)


PROXY_HEADERS = ("X-Forwarded-For", "X-Real-Ip", "Forwarded")


def proxied() -> bool:
    """Whether this session came through a proxy (nginx sets X-Forwarded-For): a server on loopback behind a
    proxy is reachable by whoever reaches the proxy, so local editing mode gives such a session nothing."""
    headers = st.context.headers
    return any(headers.get(name) for name in PROXY_HEADERS)


def sign_in_configured() -> bool:
    try:
        return bool(get_secrets_auth_section())
    except Exception:  # no secrets file, or one that does not parse: no sign-in  # noqa: BLE001
        return False


def editors() -> frozenset[str]:
    """The configured editors' e-mails, in lower case."""
    try:
        emails = st.secrets.get("editors", {}).get("emails", [])
    except Exception:  # no secrets file  # noqa: BLE001
        return frozenset()
    return frozenset(str(email).strip().casefold() for email in emails if str(email).strip())


def signed_in_email() -> str | None:
    """The signed-in user's e-mail, when the identity provider vouches for it."""
    if not sign_in_configured() or not st.user.is_logged_in:
        return None
    email = st.user.get("email")
    if not isinstance(email, str) or st.user.get("email_verified") is False:
        return None
    return email.strip()


def editor() -> str | None:
    """Who is editing (their e-mail, or the local user in local editing mode), or None for a viewer. Only the
    store's records can be edited: files opened with --records are read-only."""
    if not editable():
        return None
    if local_editing():  # the address asked again: a request in the moment before start-up refused gets nothing
        on_loopback = local_editing_problem(str(st.get_option("server.address") or "")) is None
        return f"{getpass.getuser()} ({LOCAL_MODE})" if on_loopback and not proxied() else None
    email = signed_in_email()
    return email if email and email.casefold() in editors() else None


def require_editor() -> str:
    """The editor, or the page stops here: every write path calls this itself, not trusting that a viewer
    never reaches the page."""
    who = editor()
    if who is None:
        st.stop()
    return who
