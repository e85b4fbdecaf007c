"""Who may change the records: the one place every page and every write asks.

Viewers are everyone; an editor is someone signed in through the organisation's identity provider (Streamlit's
own OpenID Connect: `st.login`, `st.user`, the `[auth]` section of .streamlit/secrets.toml) whose e-mail is in
the configured editors list (`[editors] emails = [...]` in the same file). No password is stored by us.

A single laptop with no identity provider gets an explicit local editing mode, `streamlit run dashboard.py --
--edit-locally`: whoever sits at the machine edits. It refuses to start unless the server listens on loopback
only, where nobody else can reach it (`refuse_local_editing_off_loopback`, at start-up), and only a request from
this machine itself edits (`local_request_problem`): not one through a proxy, nor a page elsewhere whose name was
rebound to 127.0.0.1 (`LocalHostGuard` refuses those before they reach Streamlit).
"""

from __future__ import annotations

import getpass
import ipaddress
import sys
import time
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

import streamlit as st
from streamlit.auth_util import get_secrets_auth_section

from ui.data import editable, store
from ui.hosts import LOOPBACK, host_and_port

EDIT_LOCALLY = "--edit-locally"
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


# Any of these in a request means a proxy (or a client pretending to be one) stands between the viewer and the
# server, so "whoever sits at this machine" no longer holds. Presence counts, not value: an empty
# X-Forwarded-For is still a proxy's mark.
FORWARDING_HEADERS = frozenset({"forwarded", "via", "x-real-ip", "true-client-ip", "cf-connecting-ip",
                                "x-client-ip", "x-cluster-client-ip", "fastly-client-ip", "client-ip",
                                "x-proxyuser-ip", "x-envoy-external-address"})
FORWARDING_PREFIXES = ("x-forwarded", "x-original-")
MAX_SIGN_IN_AGE_S = 8 * 3600  # a working day: after it, an editor signs in again through the provider
CLOCK_SKEW_S = 300


def loopback_peer(address: str | None) -> bool:
    try:
        return bool(address) and ipaddress.ip_address(str(address).split("%")[0]).is_loopback
    except ValueError:
        return False


def local_request_problem(headers: Mapping[str, str], peer: str | None) -> str | None:
    """Why this request is not from someone at this machine, or None when it is: its socket's peer is loopback,
    its Host a loopback name, its Origin (when sent) the same loopback origin, and no forwarding header of any
    kind. A page elsewhere whose name is rebound to 127.0.0.1 sends its own Host and Origin; a proxy on this
    machine makes the peer loopback but adds its marks (or, left unconfigured, at least a Host of its own)."""
    lowered = {str(name).lower(): str(value) for name, value in headers.items()}
    if not loopback_peer(peer):
        return "the connection does not come from this machine"
    forwarded = sorted(n for n in lowered if n in FORWARDING_HEADERS or n.startswith(FORWARDING_PREFIXES))
    if forwarded:
        return f"the request came through a proxy ({', '.join(forwarded)})"
    host, port = host_and_port(lowered.get("host", ""))
    if host not in LOOPBACK:
        return "the request names another host than this machine"
    origin = lowered.get("origin")
    if origin is not None:
        parsed = urlsplit(origin)
        if parsed.scheme not in ("http", "https") or host_and_port(parsed.netloc) != (host, port):
            return "the page that sent the request is not this server's own"
    return None


def editor_key(email: str) -> str | None:
    """How an address is compared with the editors list: ASCII letters lowercased and nothing else (Unicode case
    folding makes `roß@` equal `ross@`); None for an address with other characters, which must be listed
    exactly as the provider sends it."""
    email = email.strip()
    return email.lower() if email.isascii() else None


def listed(email: str, emails: Iterable[str]) -> bool:
    key = editor_key(email)
    for entry in emails:
        entry = str(entry).strip()
        if entry and (entry == email.strip() if key is None else editor_key(entry) == key):
            return True
    return False


def sign_in_problem(user: Mapping[str, object], now: float) -> str | None:
    """Why the provider's word for this sign-in does not let it write, or None: the e-mail verified (the JSON
    value true, nothing else), and a token issued within MAX_SIGN_IN_AGE_S (the cookie holding it lives for
    weeks: its age is read from the token's own `iat`)."""
    if not isinstance(user.get("email"), str) or not str(user.get("email")).strip():
        return "no e-mail"
    if user.get("email_verified") is not True:
        return "e-mail not verified"
    issued = user.get("iat")
    if isinstance(issued, bool) or not isinstance(issued, int | float):
        return "no issue time"
    if issued > now + CLOCK_SKEW_S:
        return "issued in the future"
    if now - issued > MAX_SIGN_IN_AGE_S:
        return "expired"
    return None


def _user() -> Mapping[str, object]:
    return {key: st.user.get(key) for key in ("email", "email_verified", "iat", "sub")}


def this_request() -> tuple[Mapping[str, str], str | None]:
    """The session's request headers and its socket's peer address. Streamlit reports a loopback peer as None
    (its documented "accessed through localhost"), any other by its address; local editing mode listens on
    loopback only (refuse_local_editing_off_loopback), so None here is this machine."""
    peer = st.context.ip_address
    return st.context.headers, "127.0.0.1" if peer is None else peer


def proxied() -> bool:
    """Whether this session is not from someone at this machine (ui.auth.local_request_problem)."""
    return local_request_problem(*this_request()) is not None


def sign_in_configured() -> bool:
    try:
        return bool(get_secrets_auth_section())
    except Exception:  # no secrets file, or one that does not parse: no sign-in  # noqa: BLE001
        return False


def editors() -> tuple[str, ...]:
    """The configured editors' e-mails, as written."""
    try:
        emails = st.secrets.get("editors", {}).get("emails", [])
    except Exception:  # no secrets file  # noqa: BLE001
        return ()
    return tuple(str(email).strip() for email in emails if str(email).strip())


def signed_in_email() -> str | None:
    """The signed-in user's e-mail, whatever the provider says of it (the sidebar names who is signed in)."""
    if not sign_in_configured() or not st.user.is_logged_in:
        return None
    email = st.user.get("email")
    return email.strip() if isinstance(email, str) and email.strip() else None


def signed_out_on_server() -> bool:
    """Whether this sign-in was ended (signed out) on the server: asked at every page run and every write, in
    whichever process, so a copy of the cookie taken before the sign-out writes nothing after it."""
    user = _user()
    issued = user.get("iat")
    if isinstance(issued, bool) or not isinstance(issued, int | float):
        return False
    return store().signed_out(str(user.get("sub") or user.get("email")), int(issued))


def sign_out() -> None:
    """Ends this sign-in on the server, then in the browser (Streamlit's own sign-out clears the cookie)."""
    user = _user()
    issued = user.get("iat")
    if isinstance(issued, int | float) and not isinstance(issued, bool):
        store().sign_out(str(user.get("sub") or user.get("email")), int(issued))
    st.logout()


def editor() -> str | None:
    """Who is editing (their e-mail, or the local user in local editing mode), or None for a viewer. Only the
    store's records can be edited: files opened with --records are read-only."""
    if not editable():
        return None
    if local_editing():  # the address asked again: a request in the moment before start-up refused gets nothing
        on_loopback = local_editing_problem(str(st.get_option("server.address") or "")) is None
        return f"{getpass.getuser()} ({LOCAL_MODE})" if on_loopback and not proxied() else None
    email = signed_in_email()
    if email is None or sign_in_problem(_user(), time.time()) is not None or not listed(email, editors()):
        return None
    return None if signed_out_on_server() else email


def require_editor() -> str:
    """The editor, or the page stops here: every write path calls this itself, not trusting that a viewer
    never reaches the page."""
    who = editor()
    if who is None:
        st.stop()
    return who
