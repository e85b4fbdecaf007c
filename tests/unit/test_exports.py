"""Downloads people open by hand: labels beside codes, HXL for 3W tools (read back with libhxl), the codes-only
CSV with a byte-order mark that still loads back, and file names that say which view they hold."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import hxl
import pandas as pd

from initiatives import Filters, load_records
from initiatives.export import to_csv, to_hxl_csv, view_file_name, with_labels
from tests.conftest import raw_initiatives


def test_labels_sit_beside_their_codes_in_the_chosen_language():
    table = load_records().table
    russian = with_labels(table, "ru")
    columns = list(russian.columns)
    for coded in ("grant_type", "oblast_code", "themes", "target_groups"):
        assert columns[columns.index(coded) + 1] == f"{coded}_label"
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
