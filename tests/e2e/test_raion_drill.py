"""Kyrgyzstan → Osh → Nookat raion → a location, and back with the browser's Back (issue 11, item 3).

With the official raion layer imported; in each language, whose raion names the map must show.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import click_shape, map_frame, shot, wait_for_map, wait_for_metric, wait_for_url

pytestmark = pytest.mark.e2e

OSH = 5  # oblasts are drawn in ISO-code order: B C GB J N O T Y
NOOKAT = "KG06242000000"
LANGUAGES = {  # oblast tooltip, raion name, a neighbour's label, the "Initiatives" metric
    "en": ("Osh Oblast", "Nookat", "Kara-Suu · 0", "Initiatives"),
    "ru": ("Ошская область", "Ноокатский район", "Кара-Сууский район · 0", "Инициативы"),
    "ky": ("Ош облусу", "Ноокат району", "Кара-Суу району · 0", "Демилгелер"),
}


def labels(frame) -> list[str]:
    return [text.strip() for text in frame.locator(".yj-label").all_inner_texts()]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_drilled_oblast_names_its_raions_in_each_language(raion_server, new_page, lang):
    _, nookat, neighbour, _ = LANGUAGES[lang]
    watched = new_page(1400, 1600)
    watched.page.goto(f"{raion_server.url}/?oblast=KG-O&lang={lang}")
    frame = wait_for_map(watched.page)
    frame.locator(".yj-label", has_text=neighbour).wait_for(state="attached", timeout=30_000)
    assert f"{nookat} · 4" in labels(frame) and len(labels(frame)) == 7, "Osh's 7 raions and cities, named"
    watched.assert_clean()


def test_drill_to_a_raion_and_a_location_then_back_step_by_step(raion_server, new_page):
    lang = "ru"  # the language whose first click on the map used to get lost (issue 12)
    oblast, nookat, neighbour, initiatives = LANGUAGES[lang]
    watched = new_page(1400, 1600)
    page = watched.page
    page.goto(f"{raion_server.url}/?lang={lang}")
    frame = wait_for_map(page)
    page.wait_for_timeout(1000)
    assert len(labels(frame)) == 7 and all(" область · " in label for label in labels(frame)), \
        "over the whole country its oblasts are named, no raion crowds it"

    click_shape(page, frame, OSH, oblast)
    wait_for_url(page, "oblast=KG-O")
    wait_for_metric(page, initiatives, "10")
    frame = map_frame(page)
    frame.locator(".yj-label", has_text=neighbour).wait_for(state="attached", timeout=30_000)
    assert f"{nookat} · 4" in labels(frame) and len(labels(frame)) == 7, "Osh's 7 raions and cities, named"
    page.wait_for_timeout(1000)  # the zoom to the oblast, for the screenshot
    shot(page, f"raions-osh-{lang}")

    click_shape(page, frame, 8, f"{nookat}\n")  # the raion's tooltip: its name, then its count
    wait_for_url(page, f"raion={NOOKAT}")
    wait_for_metric(page, initiatives, "4")
    frame = map_frame(page)
    frame.locator(".yj-label", has_text=f"{nookat} · 4").wait_for(state="attached", timeout=30_000)
    page.wait_for_timeout(800)  # the zoom to the raion, for the screenshot
    shot(page, f"raions-nookat-{lang}")

    click_shape(page, frame, 8 + 7, "Ноокат\n")  # the town's circle (its Russian name), above the raions
    wait_for_url(page, "location=L07")
    assert "raion=" + NOOKAT in page.url, "opening a location keeps the raion"

    page.go_back()
    wait_for_url(page, "location=", present=False)
    assert f"raion={NOOKAT}" in page.url
    wait_for_metric(page, initiatives, "4")
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
