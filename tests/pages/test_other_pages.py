"""Themes, Explorer and About pages, and the error page for bad records."""

import html
import json
import re
from collections import Counter

import pytest
from streamlit.testing.v1 import AppTest

from initiatives import vocab
from tests.conftest import raw_initiatives
from tests.pages.conftest import metrics, run_app
from ui.i18n import t
from ui.widgets import numbers_in


def chart_categories(at, index: int) -> set[str]:
    spec = json.loads(at.get("plotly_chart")[index].proto.spec)
    return {y for trace in spec["data"] for y in trace.get("y", [])}


def test_theme_chart_follows_the_oblast_filter():
    everything = chart_categories(run_app(page="pages/themes.py"), 0)
    talas = chart_categories(run_app({"oblast": "KG-T"}, page="pages/themes.py"), 0)
    assert "Natural resources: pastures" in talas
    assert "Cross-border relations" in everything and "Cross-border relations" not in talas
    assert "not published in the source" not in talas, "the LSG grants have no theme; they are not one"
    at = run_app({"oblast": "KG-T"}, page="pages/themes.py")
    talas_lsg = sum(1 for r in raw_initiatives() if r["oblast_code"] == "KG-T" and r["grant_type"] == "lsg")
    notes = [c.value for c in at.caption if "not published in the source" in c.value]
    assert f"Theme not published in the source — LSG small grant: {talas_lsg}" in notes
    assert f"Target group not published in the source — LSG small grant: {talas_lsg}" in notes


def test_every_bar_carries_its_code_for_a_click():
    at = run_app(page="pages/themes.py")
    codes = {}
    for chart in at.get("plotly_chart")[:4]:
        spec = json.loads(chart.proto.spec)
        title = spec["layout"]["title"]["text"].replace("<br>", " ")
        codes[title] = {c for trace in spec["data"] for c in trace["customdata"]}
    assert codes["Initiatives by theme and grant type"] >= {"youth", "dialogue"}
    assert codes["Initiatives by oblast and grant type"] == {r["oblast_code"] for r in raw_initiatives()}
    assert codes["Initiatives by grant type"] == {"cso", "lsg"}
    sunburst = json.loads(at.get("plotly_chart")[4].proto.spec)["data"][0]
    assert "KG-O" in sunburst["ids"] and any(i.startswith("KG-O/L") and i.count("/") == 1 for i in sunburst["ids"])


def test_the_sunburst_follows_the_filters_and_the_language_in_one_session():
    """Each view's sunburst is shared between runs and sessions (ui.widgets._hierarchy): a filter or a
    language chosen must still draw that view's own."""
    def sunburst(at):
        return json.loads(at.get("plotly_chart")[-1].proto.spec)["data"][0]

    at = run_app(page="pages/themes.py")
    assert {i.split("/")[0] for i in sunburst(at)["ids"]} == {r["oblast_code"] for r in raw_initiatives()}
    at.sidebar.selectbox(key="w_oblast").select("KG-T").run()
    talas = sunburst(at)
    assert {i.split("/")[0] for i in talas["ids"]} == {"KG-T"}
    assert sum(1 for i in talas["ids"] if i.count("/") == 2) == sum(
        1 for r in raw_initiatives() if r["oblast_code"] == "KG-T")
    assert "Talas Oblast" in talas["labels"]
    leaves = {i.rsplit("/", 1)[1]: (text, label) for i, text, label in zip(talas["ids"], talas["text"], talas["labels"],
                                                                          strict=True) if i.count("/") == 2}
    assert {code: text for code, (text, _) in leaves.items()} == {code: code for code in leaves}, "named by id"
    assert all(label.endswith(("CSO grant", "LSG small grant")) for _, label in leaves.values()), "grant on hover"
    at.sidebar.selectbox(key="w_lang").select("ru").run()
    assert "Таласская область" in sunburst(at)["labels"] and "Talas Oblast" not in sunburst(at)["labels"]
    at.sidebar.selectbox(key="w_lang").select("en").run()
    at.sidebar.selectbox(key="w_oblast").select("").run()
    assert sunburst(at)["ids"] == sunburst(run_app(page="pages/themes.py"))["ids"]


def test_themes_page_has_five_charts_each_with_data():
    at = run_app(page="pages/themes.py")
    assert len(at.get("plotly_chart")) == 5
    tables = [h.proto.body for h in at.get("html") if h.proto.body.startswith("<table")]
    assert len(tables) == 4 and all('<th scope="row"' in table for table in tables)


def test_grant_type_filter_leaves_only_that_colour():
    at = run_app({"grant_type": "lsg"}, page="pages/themes.py")
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"].replace("<br>", " ") for c in at.get("plotly_chart")]
    assert "Initiatives by theme and grant type" not in titles, "LSG grants have no published theme: no chart"
    assert any(c.value == "Theme not published in the source — LSG small grant: 25" for c in at.caption)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["title"]["text"].replace("<br>", " ") == "Initiatives by oblast and grant type"
    assert {trace["name"] for trace in spec["data"]} == {"LSG small grant"}


def test_explorer_lists_filtered_rows():
    at = run_app(page="pages/explorer.py")
    assert len(at.dataframe[0].value) == 50
    at.sidebar.text_input(key="w_q").input("GALS").run()
    table = at.dataframe[0].value
    assert list(table["ID"]) == ["CSO-13"]
    assert any("1 of 50" in c.value for c in at.caption)


def test_explorer_in_kyrgyz_keeps_original_titles():
    at = run_app({"lang": "ky", "oblast": "KG-N"}, page="pages/explorer.py")
    table = at.dataframe[0].value
    assert "Ийгилик ачкычы ынтымак" in set(table[t("title", "ky")])


def test_about_page_shows_programme_join_report_and_gaps():
    at = run_app(page="pages/about.py")
    text = " ".join(t.value for t in at.text)
    assert "Development Policy Institute" in text and "European Union" in text
    report = at.dataframe[0].value
    assert len(report) == 25 and set(report["Method"]) == {"the place lies inside the oblast",
                                                           "nearest oblast (the place lies just outside the "
                                                           "simplified border)"}
    assert "not published in the source" in text
    assert "Known: 25 CSO grants" in text and "25 LSG small grants" in text


def test_about_in_russian_speaks_russian_to_a_manager():
    at = run_app({"lang": "ru"}, page="pages/about.py")
    report = at.dataframe[0].value
    assert list(report.columns) == ["Локация", "Область", "Точность местоположения", "Способ"]
    assert "Узген (L10)" in set(report["Локация"]), "Russian place names in Russian"
    assert set(report["Способ"]) <= {"место лежит внутри области",
                                    "ближайшая область (место чуть за упрощённой границей)"}


def test_bad_records_show_a_readable_error_page(tmp_path, monkeypatch):
    bad = tmp_path / "edited.csv"
    bad.write_text("id,grant_type\nX,cso\n", encoding="utf-8")
    monkeypatch.setenv("YJ_RECORDS", str(bad))
    at = run_app()
    assert at.title[0].value == "The records could not be loaded"
    problems = at.dataframe[0].value
    assert "edited.csv" in set(problems["File"]) and "location_id" in set(problems["Field"])
    assert not metrics(at)


def test_a_chart_click_is_read_only_from_what_the_chart_sent():
    from ui.state import chart_choice

    def clicked(point: object) -> dict:
        return {"selection": {"points": [point], "point_indices": [0], "box": [], "lasso": []}}

    assert chart_choice("theme", clicked({"customdata": "youth", "y": "Youth participation"})) == ("theme", "youth")
    assert chart_choice("oblast", clicked({"customdata": ["KG-O"]})) == ("oblast", "KG-O")
    assert chart_choice("hierarchy", clicked({"id": "KG-O"})) == ("oblast", "KG-O")
    assert chart_choice("hierarchy", clicked({"id": "KG-O/L07/CSO-3"})) == ("location", "L07")
    for nothing in (None, {}, {"selection": {"points": []}}, clicked("youth"), clicked({"customdata": 3}),
                    clicked({"customdata": ""}), clicked({"id": ""}), {"selection": "x"}):
        assert chart_choice("theme", nothing) is None and chart_choice("hierarchy", nothing) is None



def test_explorer_names_places_and_grantees_for_the_reader():
    english = run_app(page="pages/explorer.py").dataframe[0].value
    assert "Özgön" in set(english["Place"]) and "Өзгөн" not in set(english["Place"])
    assert not english["Grantee"].str.contains("[А-Яа-яӨөҮүҢң]").any(), "Latin grantee names in English"
    russian = run_app({"lang": "ru"}, page="pages/explorer.py").dataframe[0].value
    assert "Узген" in set(russian["Место"]) and "Өзгөн" not in set(russian["Место"])


def test_the_legend_lists_grant_types_in_the_order_the_bars_stack():
    spec = json.loads(run_app(page="pages/themes.py").get("plotly_chart")[1].proto.spec)
    assert [trace["name"] for trace in spec["data"]] == ["CSO grant", "LSG small grant"]
    assert spec["layout"]["legend"]["traceorder"] == "normal", "Plotly would list a stack's traces reversed"


@pytest.mark.parametrize("page", ["pages/map.py", "pages/themes.py", "pages/explorer.py", "pages/about.py"])
def test_a_view_that_matches_nothing_keeps_the_sidebar_and_its_way_back(page):
    """The sidebar is drawn after the page (dashboard.py): a page that stopped early would take it away."""
    at = run_app({"q": "no such initiative anywhere"}, page=page)
    assert at.sidebar.text_input(key="w_q").value == "no such initiative anywhere"
    assert [b for b in at.sidebar.button if b.label == "Clear filters"], "the way back to the whole programme"


def test_bar_charts_name_each_bar_above_it_with_its_total_in_fixed_margins():
    """Labels on their own line above their bars (a label beside its bar left a phone's bar 1-2 px wide), each
    with the bar's total counted from the CSV, in margins Plotly need not grow (issue 15, 31)."""
    themes = vocab.themes()
    expected = Counter(code for r in raw_initiatives() for code in r["themes"].split(";") if code)
    for lang in ("ky", "ru", "en"):
        (by_theme, *_rest) = [json.loads(c.proto.spec)["layout"]
                              for c in run_app({"lang": lang}, page="pages/themes.py").get("plotly_chart")[:4]]
        assert by_theme["yaxis"]["showticklabels"] is False and by_theme["margin"]["l"] <= 10
        shown = {re.sub(r"<br>", " ", a["text"]) for a in by_theme["annotations"]}
        assert shown == {f"{html.escape(themes.label(c, lang), quote=False)} · <b>{n}</b>" for c, n in expected.items()}
        assert all(a["yanchor"] == "bottom" and a["yshift"] > 0 for a in by_theme["annotations"]), "above the bar"
        rows = len(expected)
        plot_px = by_theme["height"] - by_theme["margin"]["t"] - by_theme["margin"]["b"]
        assert plot_px / rows * (1 - by_theme["bargap"]) >= 12, "every bar at least 12 px tall"


def test_a_row_of_numbers_escapes_its_labels_and_reads_back_as_drawn():
    """Labels are translations and values counts today; whatever they hold reaches the page as text."""

    def page():
        from ui.widgets import numbers_row

        numbers_row([('<img src=x onerror="alert(1)"> & co', 3), ("Locations", "12 / 4")])

    at = AppTest.from_function(page).run()
    (body,) = [element.proto.body for element in at.get("html")]
    assert "<img" not in body and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co" in body
    assert numbers_in(body) == {'<img src=x onerror="alert(1)"> & co': "3", "Locations": "12 / 4"}


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_no_english_in_the_pickers_and_no_select_all(lang):
    """Issue 31: Streamlit's selectbox keeps an English placeholder ("Choose an option") that shows when a reader
    clears it to type; its multiselect offers an English "Select all" that means something else than no filter."""
    at = run_app({"lang": lang, "oblast": "KG-O"})
    boxes = [*at.selectbox, *at.sidebar.selectbox]
    assert len({b.label for b in boxes}) >= 4  # language, oblast, raion, the location picker
    assert {b.proto.placeholder for b in boxes} == {t("choose_placeholder", lang)}
    assert t("choose_placeholder", lang) != t("choose_placeholder", "en")
    assert at.sidebar.multiselect and all(m.proto.select_all == 0 for m in at.sidebar.multiselect)


def test_status_filters_the_explorer_from_the_url_and_every_card_says_how_far_it_had_got():
    implementing = {r["id"] for r in raw_initiatives() if r["status"] == "2"}
    at = run_app({"status": "2", "lang": "ru"}, page="pages/explorer.py")
    table = at.dataframe[0].value
    assert set(table["Код"]) == implementing and set(table["Статус"]) == {"Реализация"}
    everything = run_app({"status": "2,none"}, page="pages/explorer.py").dataframe[0].value
    assert len(everything) == 50, "every choice is no filter: the source settles no status for 30"
    cards = " ".join(t.value for t in run_app({"location": "L01"}).text)
    assert "Status: Implementation (as of 2022-02-28)" in cards  # CSO-01, Tokmok
    assert "Status: not stated in the source" in cards  # LSG-01: awarded, and nothing more
    assert "'долбоорун ишке ашырууда'" in cards, "in English, the reading with its quote"


def test_the_results_view_sums_what_was_planned_and_says_nothing_was_reported():
    at = run_app({"lang": "ru"}, page="pages/themes.py")
    overall = next(d.value for d in at.dataframe if "Вид результата" in d.value.columns)
    rows = dict(zip(overall["Вид результата"], zip(overall["Запланировано"], overall["Сообщено"], strict=True),
                    strict=True))
    assert rows["Участники сети"] == (150, "не сообщалось") and rows["Обученные люди"] == (80, "не сообщалось")
    by_oblast = next(d.value for d in at.dataframe if "Область" in d.value.columns and "Участники сети" in d.value)
    assert by_oblast.set_index("Область").loc["Иссык-Кульская область", "Участники сети"] == "150"
    naryn = run_app({"lang": "en", "oblast": "KG-N"}, page="pages/themes.py")
    assert any("no planned output as a number" in i.value for i in naryn.info), "Naryn's grants print none"
    cards = " ".join(t.value for t in run_app({"location": "L06"}).text)  # Tüp: CSO-06
    assert "Planned outputs (as printed): Network members: 150; Plans adopted: 1" in cards
    assert "Reported results: none reported yet" in cards
