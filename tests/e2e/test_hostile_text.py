"""Record text that carries HTML, script, Markdown or formulas is shown as text and never runs."""

import csv
import io

import openpyxl
import pytest

from initiatives.export import to_csv
from initiatives.records import load_records
from tests.conftest import oblasts_only
from tests.e2e.conftest import (
    INTERACTIVE,
    PREVIEW_FRAME,
    built,
    download,
    hover_until,
    map_frame,
    preview_frame,
    start_server,
    wait_for_map,
)
from tests.exports import coded_rows

pytestmark = pytest.mark.e2e

# Each part would do something visible if it were interpreted: set a flag, fetch a URL, make a formula,
# run a template on the server (branca renders map scripts through Jinja).
PAYLOAD = ('<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'
           '![p](http://198.51.100.7/p.png) =1+1 $x$ {{ "ev" ~ "aluated" }} {% if %}')
TEXT_FIELDS = ("grantee", "title_ky", "title_en", "title_ru", "summary_ky", "summary_en", "summary_ru",
               "note", "place_as_printed", "district", "district_ru", "ayil_aimak_ky", "settlement_ky",
               "settlement_ru", "coordinates_source", "reading_note", "source")


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    table = load_records().table
    published = table["source_status"] == "published"
    for field in TEXT_FIELDS:
        rows = published if field in ("grantee", "title_ky") else slice(None)
        table.loc[rows, field] = table.loc[rows, field] + " " + PAYLOAD
    records = folder / "hostile.csv"
    records.write_text(to_csv(table), encoding="utf-8")
    # With a payload appended, a record's district no longer names its raion, which the raion check rightly
    # refuses: record text is what this test is about, so it runs on the oblast layers alone.
    server = start_server(folder, records=records, geodata=oblasts_only(folder / "geodata"))
    yield server
    server.stop()


# The index among the map's shapes of the circle of the place in Naryn.
NARYN_CIRCLE = """() => {
  const shapes = [...document.querySelectorAll('.leaflet-container path.leaflet-interactive')];
  const layer = Object.values(map._layers).find(l => l._path && l.feature && l.feature.properties.location_id
                                                    && l.feature.properties.tooltip.includes('Naryn'));
  return shapes.indexOf(layer._path);
}"""


def flags(page) -> list:
    frames = [page.main_frame, *page.frames]
    return [f.evaluate("() => window.__pwned === undefined ? null : window.__pwned") for f in frames]


def test_every_page_shows_hostile_text_as_text(hostile_server, new_page):
    w = new_page()
    w.page.goto(f"{hostile_server.url}/?location=L13")
    frame = wait_for_map(w.page)
    w.page.get_by_text("window.__pwned=1", exact=False).first.wait_for(timeout=30_000)
    index = next(i for i in range(8, frame.locator(INTERACTIVE).count()) if hover_until(w.page, frame, i, "Naryn"))
    tooltip = map_frame(w.page).locator(".leaflet-tooltip").last.inner_text()
    assert "<img src=x" in tooltip and '{{ "ev" ~ "aluated" }} {% if %}' in tooltip
    assert index >= 8
    for path in ("themes", "explorer", "about"):
        w.page.get_by_role("link", name={"themes": "Themes and grants", "explorer": "Explorer",
                                         "about": "About the data"}[path]).click()
        w.page.wait_for_timeout(2500)
    assert set(flags(w.page)) == {None}, "injected script ran"
    w.assert_clean()  # includes: the Markdown image was never fetched


def test_exports_keep_hostile_text_as_text(hostile_server, new_page, tmp_path):
    w = new_page()
    book = openpyxl.load_workbook(download(w.page, f"{hostile_server.url}/explorer",
                                           "Rows and summaries (Excel)", tmp_path / "rows.xlsx"))
    sheet = book.worksheets[0]
    rows = coded_rows(list(sheet.iter_rows(values_only=True)), "en")
    assert len(rows) == 50
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row), "no formulas"
    assert rows[0]["grantee"].endswith(PAYLOAD)
    with w.page.expect_download() as started:
        w.page.get_by_role("button", name="Rows (CSV)").click()
    exported = coded_rows(list(csv.reader(io.StringIO(started.value.path().read_text(encoding="utf-8-sig")))), "en")
    assert exported[0]["title_en"].endswith(PAYLOAD)
    w.assert_clean()
    m = new_page()
    page = download(m.page, hostile_server.url, "Download this map (HTML, works offline)", tmp_path / "map.html")
    assert "aluated" in page.read_text() and "evaluated" not in page.read_text(), "a place's template was run"
    m.assert_clean()


def test_the_first_responses_map_shows_hostile_text_as_text(hostile_server, held_page):
    """The map in the first response (ui.preview), on its own: Streamlit held back, so nothing else draws."""
    built(f"{hostile_server.url}/?lang=en")
    held = held_page()
    held.page.goto(f"{hostile_server.url}/?lang=en", wait_until="commit")
    preview = preview_frame(held.page)
    naryn = preview.evaluate(NARYN_CIRCLE)  # found by its data (a hover per shape took longer than Streamlit's boot)
    frame = held.page.frame_locator(PREVIEW_FRAME)
    frame.locator(INTERACTIVE).nth(naryn).hover(force=True)
    frame.locator(".leaflet-tooltip").last.wait_for(timeout=10_000)
    tooltip = frame.locator(".leaflet-tooltip").last.inner_text()
    assert "<img src=x" in tooltip and '{{ "ev" ~ "aluated" }} {% if %}' in tooltip
    assert set(flags(held.page)) == {None}, "injected script ran"
    assert held.outside == []  # the Markdown image was never fetched
