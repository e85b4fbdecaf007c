"""With an admin-3 polygon layer imported, a click on an ayil aimak's polygon drills to it (?aa=), the map zooms
to it, and Back returns to the raion (issue 28, item 3). The polygons are synthetic, made by the test
(tests/fixtures/ayil_aimak_polygons.py): no open source has the real ones."""

from __future__ import annotations

import pytest

from initiatives.translit import to_latin
from tests.e2e.conftest import (
    click_shape,
    map_frame,
    shot,
    start_server,
    wait_for_map,
    wait_for_metric,
    wait_for_url,
)
from tests.fixtures.ayil_aimak_polygons import NOOKAT, write_ayil_aimak_polygons

pytestmark = pytest.mark.e2e

OSH_SHAPES = 8 + 7  # oblasts, then Osh's raions and cities; the ayil aimaks' polygons follow


@pytest.fixture(scope="module")
def polygon_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("aa-polygons")
    layer = write_ayil_aimak_polygons(folder / "local-layers")
    server = start_server(folder, layers=folder / "local-layers")
    yield server, layer
    server.stop()


def test_a_click_on_an_ayil_aimak_polygon_drills_to_it_and_back(polygon_server, new_page):
    server, layer = polygon_server
    watched = new_page(1400, 1600)
    page = watched.page
    page.goto(f"{server.url}/?raion={NOOKAT}&lang=en")
    frame = wait_for_map(page)
    assert page.get_by_text("Click an ayil aimak to choose it").is_visible()
    legend = page.locator(".yj-legend").last.inner_text()
    assert "imported boundaries" in legend and "official centres" not in legend
    unit = layer.sort_values("unit_code").iloc[0]
    name = to_latin(unit["name_ky"])  # our one romanisation, as every name in English
    click_shape(page, frame, OSH_SHAPES, f"{name}\n")
    wait_for_url(page, f"aa={unit['unit_code']}")
    assert f"raion={NOOKAT}" in page.url
    wait_for_metric(page, "Initiatives", "0")  # none of Nookat's places is settled to an ayil aimak
    frame = map_frame(page)
    frame.locator(".yj-label > div", has_text=name).first.wait_for(state="visible", timeout=30_000)
    page.wait_for_timeout(800)
    shot(page, "aa-polygon-drilled-en")
    page.go_back()
    wait_for_url(page, "aa=", present=False)
    wait_for_metric(page, "Initiatives", "4")
    watched.assert_clean()
