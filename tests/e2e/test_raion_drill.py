"""Kyrgyzstan → Osh → Nookat raion and its ayil aimaks → a location, and back with the browser's Back (issue 11,
item 3; issue 28, item 3).

In each language, whose raion and ayil-aimak names the map must show; the ayil aimaks' expected names come
from the official file in ../shared/boundaries.
"""

from __future__ import annotations

import re

import pytest

from initiatives.translit import to_latin
from tests.e2e.conftest import click_shape, map_frame, shot, wait_for_map, wait_for_metric, wait_for_url
from tests.unit.test_ayil_aimak_units import official_units

pytestmark = pytest.mark.e2e

OSH = 5  # oblasts are drawn in ISO-code order: B C GB J N O T Y
NOOKAT = "KG06242000000"
NOOKAT_UNITS = [u for u in official_units() if u["adm2_pcode"] == NOOKAT]  # 14 ayil aimaks, no town
AA_NAME = {"en": lambda u: to_latin(u["name_ky"]), "ru": lambda u: f"{u['name_ky']} а/а",
           "ky": lambda u: f"{u['name_ky']} а/а"}
# Each label's box and whether it is shown: the map hides the one of two that would overlap (leaflet-fixes.js).
LABEL_BOXES = """() => [...document.querySelectorAll('.yj-label > div[data-rank]')].map(d => {
    const r = d.getBoundingClientRect();
    return {text: d.textContent, shown: getComputedStyle(d).visibility !== 'hidden',
            box: [r.left, r.top, r.right, r.bottom]};
})"""
LANGUAGES = {  # oblast tooltip, raion name, a neighbour's label, the "Initiatives" metric
    "en": ("Osh Oblast", "Nookat", "Kara-Suu · 0", "Initiatives"),
    "ru": ("Ошская область", "Ноокатский район", "Кара-Сууский район · 0", "Инициативы"),
    "ky": ("Ош облусу", "Ноокат району", "Кара-Суу району · 0", "Демилгелер"),
}


def labels(frame) -> list[str]:
    """The labels shown (a label hidden where it would overlap another reads as "")."""
    return [text.strip() for text in frame.locator(".yj-label").all_inner_texts()]


def wait_for_label(frame, text: str) -> None:
    """Until the label reading exactly `text` is shown: during a zoom the map hides the ones that overlap,
    and shows them again once it has settled."""
    label = frame.locator(".yj-label > div", has_text=re.compile(f"^{re.escape(text)}$"))
    label.wait_for(state="visible", timeout=30_000)


def shown_labels(frame) -> list[dict]:
    """The labels the map shows, checked not to overlap one another."""
    boxes = [b for b in frame.locator("body").evaluate(f"({LABEL_BOXES})()") if b["shown"]]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            x0, y0, x1, y1 = a["box"]
            u0, v0, u1, v1 = b["box"]
            assert x1 <= u0 or u1 <= x0 or y1 <= v0 or v1 <= y0, f"{a['text']!r} overlaps {b['text']!r}"
    return boxes


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_drilled_oblast_names_its_raions_in_each_language(raion_server, new_page, lang):
    _, nookat, neighbour, _ = LANGUAGES[lang]
    watched = new_page(1400, 1600)
    watched.page.goto(f"{raion_server.url}/?oblast=KG-O&lang={lang}")
    frame = wait_for_map(watched.page)
    wait_for_label(frame, neighbour)
    wait_for_label(frame, f"{nookat} · 4")
    assert f"{nookat} · 4" in labels(frame) and len(labels(frame)) == 7, "Osh's 7 raions and cities, named"
    watched.assert_clean()


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_drill_to_a_raion_its_ayil_aimaks_and_a_location_then_back_step_by_step(raion_server, new_page, lang):
    oblast, nookat, neighbour, initiatives = LANGUAGES[lang]
    watched = new_page(1400, 1600)
    page = watched.page
    page.goto(f"{raion_server.url}/?lang={lang}")
    frame = wait_for_map(page)
    page.wait_for_timeout(1000)
    assert len(labels(frame)) == 7 and f"{oblast} · 10" in labels(frame), \
        "over the whole country its oblasts are named, no raion crowds it"

    click_shape(page, frame, OSH, oblast)
    wait_for_url(page, "oblast=KG-O")
    wait_for_metric(page, initiatives, "10")
    frame = map_frame(page)
    wait_for_label(frame, neighbour)
    wait_for_label(frame, f"{nookat} · 4")
    assert f"{nookat} · 4" in labels(frame) and len(labels(frame)) == 7, "Osh's 7 raions and cities, named"
    page.wait_for_timeout(1000)  # the zoom to the oblast, for the screenshot
    shot(page, f"raions-osh-{lang}")

    click_shape(page, frame, 8, f"{nookat}\n")  # the raion's tooltip: its name, then its count
    wait_for_url(page, f"raion={NOOKAT}")
    wait_for_metric(page, initiatives, "4")
    frame = map_frame(page)
    names = {AA_NAME[lang](u) for u in NOOKAT_UNITS}
    wait_for_label(frame, sorted(names)[0])
    page.wait_for_timeout(800)  # the zoom to the raion, for the screenshot
    shown = {b["text"] for b in shown_labels(frame)}
    assert names == shown & names, f"each of Nookat's ayil aimaks named, in the language: {sorted(names - shown)}"
    assert not any(text.startswith(f"{nookat} · ") for text in labels(frame)), "not the raion's own name over them"
    shot(page, f"raions-nookat-{lang}")

    # The town's circle (Nookat, L07), drawn above the raions (7) and ayil aimaks (14).
    click_shape(page, frame, 8 + 7 + len(NOOKAT_UNITS), {"en": "Nookat\n"}.get(lang, "Ноокат\n"))
    wait_for_url(page, "location=L07")
    assert "raion=" + NOOKAT in page.url, "opening a location keeps the raion"

    page.go_back()
    wait_for_url(page, "location=", present=False)
    assert f"raion={NOOKAT}" in page.url
    wait_for_metric(page, initiatives, "4")
    wait_for_label(map_frame(page), sorted(names)[-1])
    assert names <= set(labels(map_frame(page))), "back in the raion, its ayil aimaks named again"
    if lang != "ru":  # the whole way back once, in the language whose first click used to get lost
        watched.assert_clean()
        return
    page.go_back()
    wait_for_url(page, "raion=", present=False)
    assert "oblast=KG-O" in page.url
    wait_for_metric(page, initiatives, "10")
    page.go_back()
    wait_for_url(page, "oblast=", present=False)
    wait_for_metric(page, initiatives, "50")
    assert not any("район" in label for label in labels(map_frame(page))), "back at the whole country"
    page.go_forward()
    wait_for_url(page, "oblast=KG-O")
    wait_for_metric(page, initiatives, "10")
    assert "raion=" not in page.url, "Forward steps one drill-down at a time"
    watched.assert_clean()
