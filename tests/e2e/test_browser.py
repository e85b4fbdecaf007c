"""The dashboard in Debian's Chromium with the network unplugged (only 127.0.0.1 answers)."""

import csv
import io
import re

import openpyxl
import pytest
from pypdf import PdfReader

from initiatives import load_records
from tests.conftest import raw_initiatives
from tests.e2e.conftest import (
    INTERACTIVE,
    MAP_FRAME,
    PAGE_SETTLED,
    circles,
    download,
    hover_until,
    metric,
    shot,
    start_server,
    wait_for_map,
    wait_for_metric,
    watch,
)
from tests.exports import coded, coded_rows, parsed_iati

pytestmark = pytest.mark.e2e


def test_map_draws_every_oblast_and_location_offline(server, new_page):
    w = new_page()
    w.page.goto(server.url)
    frame = wait_for_map(w.page)
    w.page.wait_for_timeout(1500)
    assert frame.locator(INTERACTIVE).count() == 8 + 25
    assert metric(w.page, "Initiatives") == "50"
    shot(w.page, "map")
    w.assert_clean()


def test_a_filter_swaps_the_map_layer_in_the_same_frame_and_keeps_the_view(server, new_page):
    """The first filter adds the drill path above the map; the map's frame must stay (no reload of its
    scripts, no reset of the reader's zoom): only the data layer changes."""
    w = new_page()
    w.page.goto(server.url)
    frame = wait_for_map(w.page)
    w.page.wait_for_timeout(1000)
    body = w.page.frame_locator(MAP_FRAME).last.locator("body")
    body.evaluate("() => { window.yjKept = true; }")
    frame.locator(".leaflet-control-zoom-in").click()
    w.page.wait_for_timeout(500)
    zoom = body.evaluate("() => window.map.getZoom()")
    box = w.page.get_by_test_id("stSidebar").locator('[data-testid="stMultiSelect"]', has_text="Theme")
    box.click()
    w.page.keyboard.type("Youth participation")
    w.page.keyboard.press("Enter")
    w.page.keyboard.press("Escape")  # close the list, as a reader would: while open, the page is hidden from roles
    youth = {r["location_id"] for r in raw_initiatives() if "youth" in r["themes"].split(";")}
    w.page.wait_for_function(f"() => [...document.querySelectorAll('iframe')].some(f => f.contentDocument && "
                             f"f.contentDocument.querySelectorAll('{INTERACTIVE}').length === {8 + len(youth)})",
                             timeout=30_000)
    chip = w.page.get_by_role("button", name="Youth participation ✕")
    chip.wait_for(timeout=30_000)  # the drill path may be drawn a moment after the map's new layer
    assert chip.count() == 1
    assert body.evaluate("() => window.yjKept === true"), "the map's frame was rebuilt"
    assert body.evaluate("() => window.map.getZoom()") == zoom
    w.assert_clean()


def test_the_filters_show_the_view_after_each_choice_and_on_every_page(server, new_page):
    """The filter widgets are drawn with the view's values only where they hold none of their own (ui.state's
    drawn_default). Each choice, on one page or another, and the session's first map page (whose first run
    ends before the sidebar), must leave every filter showing the whole view."""
    w = new_page()
    sidebar = w.page.get_by_test_id("stSidebar")

    def idle() -> None:
        w.page.wait_for_function(PAGE_SETTLED, timeout=30_000)
        w.page.wait_for_timeout(300)

    def choose(label: str, option: str) -> None:
        sidebar.locator('[data-testid="stMultiSelect"]', has_text=label).locator("input").click()
        w.page.keyboard.type(option)
        w.page.keyboard.press("Enter")
        w.page.keyboard.press("Escape")
        idle()

    def shown() -> list[list[str]]:
        return [[tag for tag in box.inner_text().split("\n")[1:] if tag]
                for box in (sidebar.locator('[data-testid="stMultiSelect"]', has_text=label)
                            for label in ("Theme", "Grant type"))]

    water = "Natural resources: irrigation water"
    w.page.goto(server.url + "/themes")
    w.page.get_by_role("heading", name="Themes and grants").first.wait_for(timeout=45_000)
    idle()
    choose("Theme", "Youth participation")
    sidebar.get_by_role("link", name="Map").click()
    wait_for_map(w.page)
    idle()
    assert shown() == [["Youth participation"], []]
    choose("Grant type", "CSO grant")
    assert shown() == [["Youth participation"], ["CSO grant"]]
    sidebar.get_by_role("link", name="Themes and grants").click()
    w.page.get_by_role("heading", name="Themes and grants").first.wait_for(timeout=30_000)
    idle()
    assert shown() == [["Youth participation"], ["CSO grant"]]
    choose("Theme", water)
    assert shown() == [["Youth participation", water], ["CSO grant"]]
    assert w.page.url.endswith("/themes?theme=youth&theme=water&grant_type=cso")
    w.assert_clean()


def test_clicking_an_oblast_drills_down_and_the_charts_follow(server, new_page):
    w = new_page()
    w.page.goto(server.url)
    frame = wait_for_map(w.page)
    talas = 6  # oblasts are drawn in ISO-code order: B C GB J N O T Y
    point = hover_until(w.page, frame, talas, "Talas")
    assert point, "no point of the Talas polygon shows its tooltip"
    frame.locator(INTERACTIVE).nth(talas).click(position={"x": point[0], "y": point[1]}, force=True)
    w.page.get_by_text("Showing Talas Oblast").wait_for(timeout=30_000)
    assert metric(w.page, "Initiatives") == "4"
    assert "oblast=KG-T" in w.page.url
    drilled = wait_for_map(w.page)  # the new frame, zoomed to Talas, draws its layers
    assert drilled.locator(INTERACTIVE).count() >= 8
    w.page.wait_for_timeout(1000)  # Leaflet's zoom animation to the oblast, for the screenshot
    shot(w.page, "map-talas")
    w.page.get_by_role("link", name="Themes and grants").click()
    chart = w.page.locator(".js-plotly-plot").first
    chart.wait_for(timeout=30_000)
    w.page.wait_for_timeout(1000)
    text = chart.inner_text() if chart.inner_text() else ""
    svg = chart.locator("svg").first.text_content()
    assert "Natural resources: pastures" in svg + text
    assert "Cross-border relations" not in svg + text
    shot(w.page, "themes-talas")
    w.page.get_by_role("link", name="Map").click()
    w.page.get_by_role("button", name="← Back to all Kyrgyzstan").click()
    w.page.wait_for_function("() => !location.search.includes('oblast=')", timeout=30_000)
    wait_for_metric(w.page, "Initiatives", "50")  # the URL is written before the numbers are drawn
    w.assert_clean()


def test_clicking_a_location_opens_its_initiatives(server, new_page):
    w = new_page()
    w.page.goto(f"{server.url}/?oblast=KG-N")
    frame = wait_for_map(w.page)
    w.page.wait_for_timeout(1000)
    markers = frame.locator(INTERACTIVE)
    naryn = next(i for i in circles(frame) if hover_until(w.page, frame, i, "Naryn"))  # the circle, not the raion
    markers.nth(naryn).click(force=True)
    w.page.get_by_text("Initiatives in Naryn").wait_for(timeout=30_000)
    assert w.page.get_by_text("Ийгилик ачкычы ынтымак").count() + w.page.get_by_text("Unity is the key").count()
    assert w.page.get_by_text(re.compile("^Announced in the newsletter but not listed there")).count() == 1
    w.assert_clean()


def test_csv_download_holds_exactly_the_filtered_rows(server, new_page, tmp_path):
    expected = sorted(r["id"] for r in raw_initiatives()
                      if r["oblast_code"] == "KG-B" and "youth" in r["themes"].split(";"))
    w = new_page()
    path = download(w.page, f"{server.url}/explorer?oblast=KG-B&theme=youth", "Rows (CSV)",
                    tmp_path / "rows.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), "a byte-order mark, so Excel reads the Cyrillic"
    rows = coded_rows(list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")))), "en")
    assert sorted(r["id"] for r in rows) == expected and expected
    assert all(r["oblast_code"] == "KG-B" and r["oblast_code_label"] == "Batken Oblast" for r in rows)
    assert all(r["themes"].split(";").count("youth") == 1 and "Youth participation" in r["themes_label"] for r in rows)
    w.assert_clean()


def test_downloads_are_named_after_the_view_and_the_codes_csv_loads_back(server, new_page, tmp_path):
    w = new_page()
    w.page.goto(f"{server.url}/explorer?oblast=KG-O&theme=youth&lang=ru")
    names = {}
    buttons = ("Строки (CSV)", "Строки и сводки (Excel)", "Строки для 3W (HXL CSV)", "Только коды (CSV, для загрузки)",
               "Файл деятельности IATI (XML)")
    for button in buttons:
        control = w.page.get_by_role("button", name=button)
        control.wait_for(timeout=45_000)
        with w.page.expect_download() as started:
            control.click()
        names[button] = started.value.suggested_filename
        if button.startswith("Только коды"):
            started.value.save_as(tmp_path / "codes.csv")
        if "IATI" in button:
            started.value.save_as(tmp_path / "iati.xml")
    assert [names[b] for b in buttons] == ["initiatives-osh-youth.csv", "initiatives-osh-youth.xlsx",
                                           "initiatives-hxl-osh-youth.csv", "initiatives-codes-osh-youth.csv",
                                           "initiatives-iati-osh-youth.xml"]
    reloaded = load_records(tmp_path / "codes.csv")
    expected = sorted(r["id"] for r in raw_initiatives() if r["oblast_code"] == "KG-O" and "youth" in r["themes"])
    assert sorted(reloaded.table["id"]) == expected and reloaded.notices == []
    iati = parsed_iati((tmp_path / "iati.xml").read_bytes())  # valid IATI 2.03, and the view's initiatives only
    assert sorted(a.findtext("iati-identifier").split("-YJ-")[1] for a in iati.findall("iati-activity")[1:]) == expected
    w.assert_clean()


def test_a_shared_link_works_on_a_freshly_started_server(tmp_path, new_page):
    """The first request a new server sees is a deep link: it must go through dashboard.py."""
    fresh = start_server(tmp_path)
    try:
        w = new_page()
        w.page.goto(f"{fresh.url}/explorer?theme=youth&lang=ru")
        caption = w.page.get_by_text("из 50 инициатив")
        caption.wait_for(timeout=45_000)
        youth = sum("youth" in r["themes"].split(";") for r in raw_initiatives())
        assert caption.inner_text().startswith(f"{youth} из 50")
        # The session's second run used to lose every widget's value (the language fell back to Kyrgyz).
        search = w.page.get_by_label("Поиск (названия, организации, места)")
        search.fill("Интербилим")  # CSO-10, a youth initiative
        search.press("Enter")
        w.page.get_by_text("1 из 50 инициатив").wait_for(timeout=30_000)
        assert "lang=ru" in w.page.url and "theme=youth" in w.page.url
        w.assert_clean()
    finally:
        fresh.stop()


@pytest.mark.parametrize(("path", "heading"), [("/themes", "Themes and grants"), ("/explorer", "Explorer"),
                                              ("/about?lang=ru", "О данных"), ("/coverage", "Coverage and need")])
def test_a_deep_link_opens_as_cleanly_as_the_landing_page(raion_server, new_page, path, heading):
    """Streamlit's frontend probes `/<page>/_stcore/health` for a base path unless told the base (issue 13)."""
    w = new_page(1366, 900)
    core = []
    w.page.on("request", lambda r: core.append(r.url.removeprefix(raion_server.url)) if "/_stcore/" in r.url else None)
    w.page.goto(raion_server.url + path)
    w.page.get_by_role("heading", name=heading).first.wait_for(timeout=45_000)
    w.page.wait_for_timeout(1000)
    assert w.page.url == raion_server.url + path, "the deep link did not stay on its page"
    assert "/_stcore/health" in core and all(url.startswith("/_stcore/") for url in core), core
    w.assert_clean()


@pytest.mark.parametrize(("query", "wanted"), [("", None), ("?present=1", "ComponentInstance")])
def test_the_projector_asks_for_its_element_code_ahead_and_each_file_is_fetched_once(server, new_page, query, wanted):
    """The projector's element kinds are asked for once the server answers, not after the script; the map page
    outside it asks for none: its first run draws four kinds before the map, and Streamlit's own requests for
    them get the map drawn sooner (issue 15)."""
    w = new_page()
    fetched = []
    w.page.on("request", lambda r: fetched.append(r.url) if "/static/js/" in r.url else None)
    w.page.goto(server.url + "/" + query)
    wait_for_map(w.page)
    ahead = w.page.evaluate("() => [...document.querySelectorAll('link[rel=modulepreload][data-ahead]')]"
                            ".map(link => link.href)")
    if wanted:
        assert any(f"/static/js/{wanted}." in href for href in ahead), ahead
        assert not any("/static/js/Selectbox." in href for href in ahead), "no sidebar on a projector"
    else:
        assert ahead == []
    assert len(fetched) == len(set(fetched)), "a file asked ahead was fetched again"
    w.assert_clean()


def test_the_map_reaches_the_browser_before_the_sidebar(server, new_page):
    """The sidebar is drawn after the page (dashboard.py), so the browser can start the map's frame first."""
    w = new_page()
    frames = []
    w.page.on("websocket", lambda ws: ws.on("framereceived", lambda data: frames.append(
        data if isinstance(data, bytes) else data.encode())))
    w.page.goto(server.url + "/?lang=en")
    wait_for_map(w.page)
    w.page.get_by_text("Presentation mode").wait_for(timeout=30_000)
    first = {what: next(i for i, frame in enumerate(frames) if what in frame)
             for what in (b"streamlit_folium.st_folium", b"Language", b"Presentation mode")}
    assert first[b"streamlit_folium.st_folium"] < first[b"Language"] < first[b"Presentation mode"], first
    w.assert_clean()


def open_downloaded_map(w, browser, tmp_path, url: str, width: int, height: int):
    """Download the map of `url` and open the file in a new context where nothing but file: answers."""
    w.page.goto(url)
    wait_for_map(w.page)
    with w.page.expect_download() as download:
        w.page.get_by_role("button", name="Download this map (HTML, works offline)").click()
    html_path = tmp_path / "map.html"
    download.value.save_as(html_path)
    context = browser.new_context(viewport={"width": width, "height": height})
    offline = watch(context.new_page())
    offline.page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else
                       (offline.blocked.append(r.request.url), r.abort()))
    offline.page.goto(html_path.as_uri())
    offline.page.locator(INTERACTIVE).first.wait_for(state="attached", timeout=20_000)
    return context, offline


def test_downloaded_map_opens_with_no_server_and_no_internet(server, new_page, browser, tmp_path):
    w = new_page()
    context, offline = open_downloaded_map(w, browser, tmp_path, f"{server.url}/?oblast=KG-J", 1000, 700)
    jalal_abad_units = 13  # COD-AB: its raions and cities of oblast rank, drawn when the oblast is drilled
    assert offline.page.locator(INTERACTIVE).count() == 8 + jalal_abad_units + 25
    offline.page.wait_for_timeout(1500)  # let fitBounds finish its zoom animation
    # It stands alone when e-mailed: what it is, for which view, its legend and sources, each place's initiatives.
    panel = offline.page.locator("body").inner_text()
    assert "Living in Harmony" in panel and "Jalal-Abad Oblast · All (no filter)" in panel
    # Drilled, the shading is by raion (the shipped COD-AB layer), and its source is named beside Natural Earth's.
    assert "Initiatives per raion" in panel and "Natural Earth" in panel and "OCHA" in panel and "newsletter" in panel
    jalal_abad = [r for r in raw_initiatives() if r["oblast_code"] == "KG-J"]
    circle = next(i for i in circles(offline.page)
                  if offline.page.locator(INTERACTIVE).nth(i).get_attribute("fill") == "#d95f02")
    offline.page.locator(INTERACTIVE).nth(circle).click(force=True)
    popup = offline.page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    ids = re.findall(r"(?:CSO|LSG)-\d+", popup.inner_text())
    assert ids and set(ids) <= {r["id"] for r in jalal_abad}, "the place's own initiatives"
    locations = load_records().locations
    place = locations.set_index("location_id").loc[jalal_abad[[r["id"] for r in jalal_abad].index(ids[0])]
                                                   ["location_id"], "place_latin"]
    assert popup.inner_text().split("\n")[0] == place, "the popup names its place"
    shot(offline.page, "standalone-map")
    offline.assert_clean()
    context.close()
    w.assert_clean()


def test_the_downloaded_maps_panel_covers_no_part_of_the_country_at_1366x768(server, new_page, browser, tmp_path):
    w = new_page()
    context, offline = open_downloaded_map(w, browser, tmp_path, f"{server.url}/", 1366, 768)
    offline.page.wait_for_timeout(1500)  # fitBounds
    panel = offline.page.locator(".yj-panel").bounding_box()
    oblasts = [offline.page.locator(INTERACTIVE).nth(i).bounding_box() for i in range(8)]
    assert all(b["y"] >= panel["y"] + panel["height"] - 1 or b["y"] + b["height"] <= panel["y"] + 1
               for b in oblasts), (panel, oblasts)
    assert all(b["y"] + b["height"] <= 768 + 1 and b["x"] >= 0 and b["x"] + b["width"] <= 1366 + 1 for b in oblasts)
    shot(offline.page, "standalone-map-1366")
    offline.assert_clean()
    context.close()
    w.assert_clean()


def test_excel_download_holds_the_filtered_rows_and_summaries(server, new_page, tmp_path):
    expected = sorted(r["id"] for r in raw_initiatives() if r["oblast_code"] == "KG-O")
    w = new_page()
    book = openpyxl.load_workbook(download(w.page, f"{server.url}/explorer?oblast=KG-O",
                                           "Rows and summaries (Excel)", tmp_path / "rows.xlsx"))
    assert book.sheetnames == ["Initiatives", "By oblast", "By theme", "By target group", "Outputs"]
    sheet = book["Initiatives"]
    ids = sorted(row[0].value for row in sheet.iter_rows(min_row=2))
    assert ids == expected
    by_oblast = list(book["By oblast"].iter_rows(min_row=2, values_only=True))
    assert sum(n for _, _, n in by_oblast) == len(expected)
    for each in book.worksheets:  # readable as opened: header frozen, filter on, columns wide enough
        assert each.freeze_panes == "A2" and each.auto_filter.ref == each.dimensions
    header = coded([c.value for c in sheet[1]], "en")
    width = {name: sheet.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width
             for i, name in enumerate(header)}
    assert width["title_en"] > width["id"] >= len("CSO-01") and max(width.values()) <= 61  # 60 and padding
    assert "themes_label" in header and header.index("themes_label") == header.index("themes") + 1
    w.assert_clean()


def test_the_brief_downloads_from_the_page_in_russian(server, new_page, tmp_path):
    """The Explorer's "Справка (PDF)" for Osh oblast: a PDF of the view, in Russian, its grantees' Kyrgyz
    letters intact when the text is read back."""
    w = new_page()
    path = download(w.page, f"{server.url}/explorer?oblast=KG-O&lang=ru", "Справка (PDF)", tmp_path / "brief.pdf")
    reader = PdfReader(path)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert path.read_bytes().startswith(b"%PDF-") and 1 <= len(reader.pages) <= 2
    assert "Справка: Ошская область" in text and "Инициативы по темам" in text
    osh = [r for r in raw_initiatives() if r["oblast_code"] == "KG-O" and r["source_status"] == "published"]
    assert osh and all(r["grantee"] in text for r in osh)
    w.assert_clean()
