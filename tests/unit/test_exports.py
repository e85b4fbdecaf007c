"""Downloads people open by hand: labels beside codes, HXL for 3W tools (read back with libhxl), the codes-only
CSV with a byte-order mark that still loads back, and file names that say which view they hold."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import hxl
import pandas as pd

from initiatives import Filters, load_records
from initiatives.export import labelled_table, to_csv, to_hxl_csv, view_file_name, with_labels
from tests.conftest import raw_initiatives
from tests.exports import COLUMNS_FILE, coded

SNAKE_CASE = re.compile(r"[a-z]+_[a-z_]+")


def test_labels_sit_beside_their_codes_in_the_chosen_language():
    table = load_records().table
    russian = with_labels(table, "ru")
    columns = list(russian.columns)
    for code in ("grant_type", "oblast_code", "themes", "target_groups"):
        assert columns[columns.index(code) + 1] == f"{code}_label"
    row = russian.set_index("id").loc["CSO-01"]
    assert row["oblast_code_label"] == "Ошская область" or row["oblast_code"] != "KG-O"
    assert set(russian["grant_type_label"]) == {"Грант организации гражданского общества", "Малый грант органу МСУ"}
    assert (russian.drop(columns=[c for c in columns if c.endswith("_label")]) == table).all().all(), "codes as stored"


def test_hxl_csv_reads_back_in_libhxl_with_its_hashtags(tmp_path):
    table = load_records().table
    path = tmp_path / "initiatives-hxl.csv"
    path.write_text(to_hxl_csv(table, "en"), encoding="utf-8")
    dataset = hxl.data(str(path), hxl.InputOptions(allow_local=True))
    tags = {column.get_display_tag(sort_attributes=True) for column in dataset.columns}
    assert {"#org+name", "#org+type", "#sector", "#adm1+code", "#adm1+name", "#loc+name", "#geo+lat", "#geo+lon",
            "#activity+i_en+name", "#meta+source_status"} <= tags  # as libhxl writes them: attributes sorted
    # #status is the activity's status for 3W readers; whether the newsletter lists a grant is not that.
    assert "#status" not in tags
    assert not any(tag.startswith("#adm2") for tag in tags), "no raion columns without a raion layer"
    rows = list(dataset)
    assert len(rows) == len(raw_initiatives())
    assert {row.get("#meta+source_status") for row in rows} == {r["source_status"] for r in raw_initiatives()}
    osh = [row for row in rows if row.get("#adm1+code") == "KG-O"]
    assert len(osh) == sum(1 for r in raw_initiatives() if r["oblast_code"] == "KG-O")
    assert all(-90 <= float(row.get("#geo+lat")) <= 90 for row in rows)
    # "-code": the label column, not the code column (+type alone matches both)
    assert {row.get("#org+type-code") for row in rows} == {"CSO grant", "LSG small grant"}


def test_hxl_csv_carries_adm2_once_rows_have_raions():
    table = load_records().table.assign(raion_code="KG06242000000", raion_name="Nookat")
    dataset = hxl.data(list(csv.reader(io.StringIO(to_hxl_csv(table, "en", bom=False)))))
    tags = [column.get_display_tag(sort_attributes=True) for column in dataset.columns]
    assert "#adm2+code" in tags and {row.get("#adm2+code") for row in dataset} == {"KG06242000000"}


def test_every_export_column_has_a_header_in_each_language_and_no_two_share_one():
    with COLUMNS_FILE.open(encoding="utf-8", newline="") as handle:
        named = list(csv.DictReader(handle))
    columns = list(with_labels(load_records().table, "en").columns)
    assert set(columns) <= {row["code"] for row in named}, "a column with no header of its own"
    for lang in ("ky", "ru", "en"):
        headers = [row[f"name_{lang}"] for row in named]
        assert len(set(headers)) == len(headers) and all(headers), lang


def test_the_labelled_csv_and_hxl_are_headed_in_the_readers_language_and_the_codes_csv_keeps_its_codes():
    table = load_records().table
    for lang in ("ky", "ru"):
        header = next(csv.reader(io.StringIO(to_csv(labelled_table(table, lang)))))
        assert not [h for h in header if SNAKE_CASE.fullmatch(h) or h.isascii()], (lang, header)
        assert coded(header, lang) == list(with_labels(table, lang).columns), "each header names its own column"
        hxl_header = next(csv.reader(io.StringIO(to_hxl_csv(table, lang, bom=False))))
        assert not [h for h in hxl_header if h.isascii()], (lang, hxl_header)
    assert "Название, по-русски" in next(csv.reader(io.StringIO(to_csv(labelled_table(table, "ru")))))
    assert next(csv.reader(io.StringIO(to_csv(table)))) == list(table.columns), "codes-only: the codes"


def test_the_excel_file_names_its_sheets_and_columns_in_the_readers_language():
    import openpyxl

    from ui.downloads import excel_bytes

    book = openpyxl.load_workbook(io.BytesIO(excel_bytes(load_records().table, "ru")))
    assert book.sheetnames == ["Инициативы", "По областям", "По темам", "По целевым группам"]
    for sheet in book.worksheets:
        header = [c.value for c in sheet[1]]
        assert not [h for h in header if h.isascii()], (sheet.title, header)


def test_the_codes_csv_with_a_byte_order_mark_loads_back_without_a_word(tmp_path: Path):
    table = load_records().table
    path = tmp_path / "initiatives-codes.csv"
    path.write_text(to_csv(table, bom=True), encoding="utf-8")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    reloaded = load_records(path)
    assert reloaded.notices == [] and list(reloaded.table["id"]) == list(table["id"])
    pd.testing.assert_frame_equal(reloaded.table.reset_index(drop=True), table.reset_index(drop=True))


def test_a_download_is_named_after_its_view():
    assert view_file_name(Filters(), "csv") == "initiatives.csv"
    assert view_file_name(Filters(oblasts=("KG-O",), themes=("youth",)), "csv") == "initiatives-osh-youth.csv"
    assert view_file_name(Filters(oblasts=("KG-Y",), grant_types=("lsg",), text="вода"), "xlsx", "map") \
        == "map-ysyk-kol-lsg-search.xlsx"
    long = view_file_name(Filters(themes=tuple(json.dumps(i) for i in range(200))), "csv")
    assert len(long) <= 104 and long.endswith(".csv") and "--" not in long
