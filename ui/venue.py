"""The link people in the room open on their phones: the view on the screen, at an address they can reach, as a
QR code drawn here (segno), with no service on the internet.

The address is the one the presenter's browser uses, unless that is this computer's own (127.0.0.1,
localhost): then the machine's address on the venue's network, if the server listens there. A server that
listens on loopback only cannot be reached from the room, and the dialog says so instead of drawing a code
nobody can use.
"""

from __future__ import annotations

import io
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

import segno
import streamlit as st
from streamlit import config

LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class VenueLink:
    """The link to show, or "" and why not: "loopback" (the server listens on this computer only) or "unknown"
    (no address of this machine on a network was found)."""

    url: str
    reason: str = ""


def venue_link(page_url: str | None, query: dict[str, list[str]], listen_address: str | None,
               lan_address: str | None) -> VenueLink:
    """The view's link for the room. `page_url`: the presenter's page (no query); `query`: the view's URL query,
    without what is the presenter's own (presentation mode); `listen_address`: Streamlit's server.address ("" or
    None for every interface)."""
    parts = urlsplit(page_url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return VenueLink("", "unknown")
    netloc = parts.netloc
    if is_loopback(parts.hostname):
        if listen_address and is_loopback(listen_address):
            return VenueLink("", "loopback")
        if not lan_address:
            return VenueLink("", "unknown")
        host = f"[{lan_address}]" if ":" in lan_address else lan_address
        netloc = f"{host}:{parts.port}" if parts.port else host
    wanted = {key: values for key, values in query.items() if key != "present" and values}
    return VenueLink(urlunsplit((parts.scheme, netloc, parts.path or "/", urlencode(wanted, doseq=True), "")))


def lan_address() -> str | None:
    """This machine's address on its network: the one the system would send from (a UDP socket "connected"
    to a private address sends nothing), or None where there is only loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if is_loopback(address) or address == "0.0.0.0" else address


def qr_png(url: str, scale: int = 12) -> bytes:
    """The link as a QR code, a PNG image (Streamlit's HTML element strips inline SVG; an image carries no markup
    from the link at all)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, border=3, dark="#000000", light="#ffffff")
    return out.getvalue()


_OPEN = "_venue_open"  # the presenter asked for the room's link (a dialog over the map)


def ask_for_link() -> None:
    st.session_state[_OPEN] = True


def close_link() -> None:
    st.session_state[_OPEN] = False


def link_button(label: str) -> None:
    st.button(label, on_click=ask_for_link, width="stretch", key="venue_link", icon=":material/qr_code_2:")


def link_dialog(t, title: str) -> None:
    """The room's link over the map, as a big QR code and its address, when the presenter asked for it. `t`:
    the view's translations. Everything shown from the link is escaped; the code is squares only."""
    if not st.session_state.get(_OPEN):
        return
    query = {key: st.query_params.get_all(key) for key in st.query_params}
    link = venue_link(st.context.url, query, config.get_option("server.address"), lan_address())

    def body() -> None:
        if not link.url:
            st.warning(t(f"venue_{link.reason}"))
            return
        with st.container(key="yj-venue-qr", horizontal_alignment="center"):
            st.image(qr_png(link.url), width=480)
        st.text(t("venue_scan"))
        st.code(link.url, language=None)

    st.dialog(title, width="large", on_dismiss=close_link)(body)()
