"""Failures an outside attack found (issue 14): each reproduced here through the real entry point."""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

import pytest

from initiatives import vocab
from tests.conftest import raw_initiatives
from tests.fixtures.bad_records import set_cell
from tests.pages.conftest import metrics, run_app


def rewrite_without_oblast(records: Path, oblast: str) -> int:
    """Delete every row of one oblast from a records folder, as staff editing the live file would."""
    def rows(name: str) -> list[dict[str, str]]:
        with (records / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    def write(name: str, kept: list[dict[str, str]]) -> None:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(kept[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
        (records / name).write_text(out.getvalue(), encoding="utf-8")

    locations = rows("locations.csv")
    gone = {r["location_id"] for r in locations if r["oblast_code"] == oblast}
    initiatives = [r for r in rows("initiatives.csv") if r["location_id"] not in gone]
    write("locations.csv", [r for r in locations if r["location_id"] not in gone])
    write("initiatives.csv", initiatives)
    return len(initiatives)


@pytest.mark.parametrize("lang, initiatives, notice, talas", [
    ("en", "Initiatives", "No longer in the data", "Talas Oblast"),
    ("ru", "Инициативы", "Этого больше нет в данных", "Таласская область"),
])
def test_a_view_of_an_oblast_deleted_under_it_falls_back_and_says_so(lang, initiatives, notice, talas,
                                                                   records_copy, monkeypatch):
    monkeypatch.setenv("YJ_RECORDS", str(records_copy))
    at = run_app({"oblast": "KG-T", "lang": lang})
    assert metrics(at)[initiatives] == str(sum(r["oblast_code"] == "KG-T" for r in raw_initiatives()))
    remaining = rewrite_without_oblast(records_copy, "KG-T")
    at.sidebar.text_input(key="w_q").input("").run()  # any next action: here, typing in Search
    assert not at.exception, at.exception
    assert metrics(at)[initiatives] == str(remaining)
    assert at.session_state["_view_state"]["oblast"] == ""
    (toast,) = at.toast
    assert notice in toast.value and talas in toast.value.replace("\\", "")
    assert at.query_params.get("oblast") in (None, [], [""]), "the URL no longer names the oblast"


def test_a_failed_load_is_remembered_until_the_files_change(records_copy, monkeypatch):
    import ui.data

    calls = []
    real = ui.data.load_records
    monkeypatch.setattr(ui.data, "load_records", lambda *a: calls.append(a) or real(*a))
    (records_copy / "initiatives.csv").write_text(",".join(f"c{i}" for i in range(2_000)) + "\n")
    monkeypatch.setenv("YJ_RECORDS", str(records_copy))
    for _ in range(3):
        assert run_app().title[0].value == "The records could not be loaded"
    assert len(calls) == 1, "each page load checked the broken file again"
    (records_copy / "initiatives.csv").write_text("id\n")
    os.utime(records_copy / "initiatives.csv", (1, 2_000_000_000))
    assert run_app().title[0].value == "The records could not be loaded"
    assert len(calls) == 2, "an edited file is checked again"


HOSTILE_LABEL = "![i](http://198.51.100.7/o.png) $x^2$ **bold**"


def test_vocabulary_labels_are_shown_as_text_not_markdown(records_copy, monkeypatch):
    path = records_copy / "oblasts.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Talas Oblast", HOSTILE_LABEL), encoding="utf-8")
    monkeypatch.setattr(vocab, "DATA_DIR", records_copy)
    monkeypatch.setenv("YJ_RECORDS", str(records_copy))
    # Themes of the whole country: its oblast chart holds the label (drilled, the chart is by raion).
    pages = [run_app({"oblast": "KG-T"}), run_app({"oblast": "KG-T", "present": "1"}), run_app(page="pages/themes.py")]
    markdown = [e.value for at in pages for kind in ("title", "header", "subheader", "markdown", "caption")
                for e in getattr(at, kind)]
    shown = [v for v in markdown if "198.51.100.7" in v.replace("\\", "")]
    assert len(shown) >= 2, "the heading of the drilled oblast names it (normal and presentation view)"
    for value in shown:
        assert "![i](" not in value and "$x^2$" not in value and "**bold**" not in value, value
        assert value.replace("\\", "").count(HOSTILE_LABEL) == 1
    themes = pages[2]
    assert not themes.table, "st.table renders its cells as Markdown"
    tables = [h.proto.body for h in themes.get("html") if h.proto.body.startswith("<table")]
    assert any(HOSTILE_LABEL in t for t in tables), "the label shows, as typed, in the chart data"


@pytest.mark.parametrize("records", ["/proc/self/mem", "/dev/null", "/tmp/" + "c" * 300])
def test_operating_system_errors_get_the_readable_error_page(records, monkeypatch):
    monkeypatch.setenv("YJ_RECORDS", records)
    at = run_app()
    assert at.title[0].value == "The records could not be loaded"
    (row,) = at.dataframe[0].value.itertuples()
    assert (row.Row, row.Field) == (0, "(file)")


def test_the_error_page_speaks_the_language_of_the_url(records_copy, monkeypatch):
    (records_copy / "locations.csv").unlink()
    monkeypatch.setenv("YJ_RECORDS", str(records_copy))
    at = run_app({"lang": "ru"})
    assert at.title[0].value == "Не удалось загрузить данные"
    assert list(at.dataframe[0].value.columns) == ["Файл", "Строка", "Поле", "Сообщение"]


@pytest.mark.parametrize("query, initiatives", [
    ({"oblast": "KG-X"}, "50"), ({"oblast": "<script>"}, "50"), ({"lang": "xx"}, "50"), ({"shade": "evil"}, "50"),
    ({"location": "L99"}, "50"), ({"theme": "nope,youth"}, "13"), ({"present": "maybe"}, "50"),
    ({"grant_type": "x" * 5000}, "50"),
])
def test_hostile_urls_fall_back_to_a_working_view(query, initiatives):
    assert metrics(run_app(query))["Initiatives"] == initiatives


def test_a_search_of_thousands_of_words_is_the_search_of_its_first_words():
    once = metrics(run_app({"q": "water"}))["Initiatives"]
    assert int(once) > 0
    assert metrics(run_app({"q": "water " * 3000}))["Initiatives"] == once


def test_the_app_runs_the_raion_check_when_a_raion_layer_is_imported(records_copy, local_layers, monkeypatch):
    from tests.fixtures.bad_records import set_cell

    monkeypatch.setenv("YJ_LAYERS_DIR", str(local_layers))
    monkeypatch.setenv("YJ_RECORDS", str(records_copy))
    assert metrics(run_app())["Initiatives"] == "50", "the committed records agree with the raion polygons"
    set_cell("locations.csv", 16, "latitude", "41.53")(records_copy)
    set_cell("locations.csv", 16, "longitude", "71.22")(records_copy)
    at = run_app()
    assert at.title[0].value == "The records could not be loaded"
    rows = [(row.File, row.Row, row.Field) for row in at.dataframe[0].value.itertuples()]
    assert rows == [("locations.csv", 16, "district"), ("locations.csv", 16, "ayil_aimak_ky")]


# Issue 32 (round three): a link that names a filter value twice took every page down (a duplicate chip key).
@pytest.mark.parametrize("page", [None, "pages/themes.py", "pages/explorer.py"])
@pytest.mark.parametrize("query, key, initiatives", [
    ({"theme": ["youth", "youth"]}, "theme", "13"), ({"theme": "youth,youth"}, "theme", "13"),
    ({"grant_type": ["cso", "cso"]}, "grant_type", "25"),
])
def test_a_link_naming_a_value_twice_is_the_view_of_that_value_once(page, query, key, initiatives):
    at = run_app(query, page=page)
    shown = len(at.dataframe[0].value) if page == "pages/explorer.py" else int(metrics(at)["Initiatives"])
    assert shown == int(initiatives)
    chips = [b for b in at.button if b.key and b.key.startswith(f"chip_{key}_")]
    assert len(chips) == 1
    written = at.query_params[key]
    assert (written if isinstance(written, list) else written.split(",")) == [chips[0].key.removeprefix(f"chip_{key}_")]
    assert [b for b in at.sidebar.button if b.label == "Clear filters"]  # the sidebar, drawn after the page


# Issue 32, items 6, 8 and 12: the dataset follows the content of the files it reads, and only of those; each
# source keeps one live dataset.
BACKUP_NS = 1_640_000_000 * 10**9  # a backup made in December 2021: restored with cp -p it keeps this time


def restore(source: Path, target: Path) -> None:
    """As `cp -p` (or rsync -a, tar, unzip) puts a backup back: the content, and the backup's old times."""
    shutil.copyfile(source, target)
    os.utime(target, ns=(BACKUP_NS, BACKUP_NS))


def test_a_backup_restored_with_its_old_time_is_shown(records_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("YJ_RECORDS", str(records_copy))
    assert metrics(run_app())["Initiatives"] == "50"
    lines = (records_copy / "initiatives.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    backup = tmp_path / "initiatives-backup.csv"
    backup.write_text("".join(lines[:11]), encoding="utf-8")  # the header and 10 records
    restore(backup, records_copy / "initiatives.csv")
    assert metrics(run_app())["Initiatives"] == "10"


def test_a_folder_refilled_with_old_files_no_longer_shows_the_error(records_copy, tmp_path, monkeypatch):
    kept = tmp_path / "kept"
    kept.mkdir()
    for name in ("initiatives.csv", "locations.csv"):
        shutil.move(records_copy / name, kept / name)
    monkeypatch.setenv("YJ_RECORDS", str(records_copy))
    assert run_app().title[0].value == "The records could not be loaded"
    for name in ("initiatives.csv", "locations.csv"):
        restore(kept / name, records_copy / name)
    assert metrics(run_app())["Initiatives"] == "50"


def test_a_source_keeps_one_live_dataset_however_often_it_is_saved(records_copy, monkeypatch):
    import gc
    import weakref

    import ui.data

    monkeypatch.setenv("YJ_RECORDS", str(records_copy))
    first = ui.data.dataset()
    earlier = weakref.ref(first)
    del first
    for title in ("Saved once", "Saved twice"):
        set_cell("initiatives.csv", 2, "title_en", title)(records_copy)
        assert ui.data.dataset().records.table["title_en"].iloc[0] == title
    gc.collect()
    assert earlier() is None, "a dataset of an earlier save is still held"


def test_files_the_dataset_does_not_read_are_not_looked_at(records_copy, monkeypatch):
    import ui.data

    monkeypatch.setenv("YJ_RECORDS", str(records_copy))
    unrelated = records_copy / "notes-for-staff.csv"
    unrelated.write_text("a,b\n1,2\n")
    first = ui.data.dataset()
    unrelated.write_text("a,b\n3,4\n5,6\n")
    os.utime(unrelated, (2_000_000_000, 2_000_000_000))
    assert ui.data.dataset() is first
    assert unrelated not in ui.data.files_read(records_copy, ui.data.geodata_dir(), ui.data.local_layers_dir())


def test_the_explorer_table_sends_each_cell_bounded(records_copy, monkeypatch):
    """Issue 32, item 13: 1,900 records with 10,000-character titles sent 36 MB per Explorer load."""
    from ui.widgets import MAX_CELL_CHARS

    title = "Тынчтык " * 1250  # 10,000 characters
    set_cell("initiatives.csv", 2, "title_en", title.strip())(records_copy)
    monkeypatch.setenv("YJ_RECORDS", str(records_copy))
    at = run_app(page="pages/explorer.py")
    cells = at.dataframe[0].value["Title"]
    assert max(cells.str.len()) <= MAX_CELL_CHARS
    (cut,) = [c for c in cells if c.startswith("Тынчтык")]
    assert cut.endswith("…") and title.startswith(cut[:-1])
