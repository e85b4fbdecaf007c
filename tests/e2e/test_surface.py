"""What a manager sees first, as laid out in Chromium (issue 13): the whole map above the fold on a laptop,
a scale in kilometres only, an attribution that names the data."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import MAP_FRAME, wait_for_map

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_the_whole_map_is_above_the_fold_on_a_laptop(server, new_page, lang):
    watched = new_page(1366, 900)
    watched.page.goto(f"{server.url}/?lang={lang}")
    wait_for_map(watched.page)
    watched.page.wait_for_timeout(1000)  # the metrics and the legend settle above and below
    box = watched.page.locator(MAP_FRAME).last.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 900, f"map from {box['y']} to {box['y'] + box['height']}"
    watched.assert_clean()


def test_the_map_measures_in_km_and_names_its_data(server, new_page):
    watched = new_page()
    watched.page.goto(server.url)
    frame = wait_for_map(watched.page)
    scale = frame.locator(".leaflet-control-scale-line")
    assert scale.count() == 1 and scale.inner_text().endswith("km")
    attribution = frame.locator(".leaflet-control-attribution").inner_text()
    assert "Natural Earth" in attribution and "Leaflet" not in attribution
    watched.assert_clean()
