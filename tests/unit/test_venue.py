"""The room's link (ui/venue.py): which address people in the room get, and that the QR code holds it (read
back with zxing-cpp)."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image

from ui.venue import is_loopback, qr_png, venue_link

VIEW = {"oblast": ["KG-C"], "theme": ["youth", "water"], "present": ["1"], "lang": ["ru"]}


def test_the_presenters_own_address_is_given_with_the_view_but_not_presentation_mode():
    link = venue_link("http://192.168.8.20:8501/", VIEW, "", "10.0.0.7")
    assert link.url == "http://192.168.8.20:8501/?oblast=KG-C&theme=youth&theme=water&lang=ru" and not link.reason
    assert venue_link("https://yj.example.org/map/", {}, None, None).url == "https://yj.example.org/map/"


def test_a_presenter_on_loopback_gives_the_machines_network_address_if_the_server_listens_there():
    assert venue_link("http://localhost:8501/", VIEW, "", "10.0.0.7").url.startswith("http://10.0.0.7:8501/?oblast=")
    assert venue_link("http://127.0.0.1:8501/", {}, "0.0.0.0", "fd00::7").url == "http://[fd00::7]:8501/"
    assert venue_link("http://[::1]:8501/", {}, "127.0.0.1", "10.0.0.7").reason == "loopback"
    assert venue_link("http://127.0.0.1:8501/", {}, "localhost", "10.0.0.7").reason == "loopback"
    assert venue_link("http://127.0.0.1:8501/", {}, "", None).reason == "unknown"


def test_only_a_web_address_is_ever_given():
    for page in (None, "", "javascript:alert(1)", "file:///etc/passwd", "http:///nohost"):
        assert venue_link(page, VIEW, "", "10.0.0.7").url == "", page
    assert is_loopback("LOCALHOST") and is_loopback("127.8.0.1") and not is_loopback("192.168.1.1")


def test_the_code_holds_the_link():
    url = "http://10.0.0.7:8501/?oblast=KG-C&lang=ru&q=%3Cscript%3E"
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(qr_png(url))))] == [url]
