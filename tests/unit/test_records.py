"""Loading the committed records: the counts the programme announces, and nothing invented."""

import csv

from initiatives import load_records
from initiatives.records import EXPORT_COLUMNS
from tests.conftest import RECORDS_DIR, fingerprint


def test_committed_records_hold_the_announced_programme():
    table = load_records().table
    assert len(table) == 50
    assert table["location_id"].nunique() == 25
    assert table["oblast_code"].nunique() == 7
    assert (table["grant_type"] == "cso").sum() == 25
    assert (table["grant_type"] == "lsg").sum() == 25


def test_every_location_has_one_cso_and_one_lsg_initiative():
    table = load_records().table
    per_location = table.groupby("location_id")["grant_type"].apply(sorted)
    assert all(kinds == ["cso", "lsg"] for kinds in per_location)


def test_lsg_records_invent_nothing():
    lsg = load_records().table.query("grant_type == 'lsg'")
    assert (lsg["source_status"] == "not_published").all()
    for col in ("grantee", "legal_form", "title_ky", "title_en", "title_ru", "themes", "target_groups"):
        assert (lsg[col] == "").all(), col
    assert lsg["note"].str.contains("not published in the source").all()


def test_cso_records_are_complete_in_three_languages():
    cso = load_records().table.query("grant_type == 'cso'")
    for col in ("grantee", "title_ky", "title_en", "title_ru", "summary_ky", "summary_en", "summary_ru",
                "themes", "target_groups", "source"):
        assert (cso[col] != "").all(), col


def test_flat_table_matches_the_raw_files():
    """Join checked against csv.DictReader, not against the loader's own logic."""
    with (RECORDS_DIR / "locations.csv").open(encoding="utf-8") as f:
        locations = {r["location_id"]: r for r in csv.DictReader(f)}
    table = load_records().table.set_index("id")
    with (RECORDS_DIR / "initiatives.csv").open(encoding="utf-8") as f:
        for raw in csv.DictReader(f):
            row = table.loc[raw["id"]]
            loc = locations[raw["location_id"]]
            assert row["oblast_code"] == loc["oblast_code"]
            assert row["latitude"] == float(loc["latitude"])
            assert row["title_ky"] == raw["title_ky"]
    assert list(load_records().table.columns) == list(EXPORT_COLUMNS)


def test_loading_does_not_modify_the_files():
    before = fingerprint(RECORDS_DIR)
    load_records()
    assert fingerprint(RECORDS_DIR) == before


def test_latin_names_follow_the_documented_romanisation():
    table = load_records().table.set_index("id")
    assert table.loc["CSO-25", "grantee_latin"] == "Ongol Ayym"
    assert table.loc["CSO-02", "grantee_latin"] == "Community Development Alliance"
    assert table.loc["CSO-01", "place_latin"] == "Tokmok"
