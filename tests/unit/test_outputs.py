"""Planned outputs as printed (issue 30): each quoted word for word from the newsletter, with its number as
printed there; reported results kept apart, and "not reported" never counted as 0."""

from __future__ import annotations

import csv
import re

import pandas as pd

from initiatives import load_records, vocab
from initiatives.outputs import no_outputs, outputs_text, totals
from tests.conftest import RECORDS_DIR, raw_initiatives


def committed_outputs() -> list[dict[str, str]]:
    with (RECORDS_DIR / "outputs.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_planned_output_is_printed_in_the_newsletter_with_its_number(newsletter):
    initiatives = {r["id"]: r for r in raw_initiatives()}
    for output in committed_outputs():
        assert output["as_printed"] in newsletter, output["as_printed"]
        assert output["kind"] == "planned" and initiatives[output["initiative_id"]]["grant_type"] == "cso"
        printed = re.findall(r"\d+", re.sub(r"\b20\d\d\b", "", output["as_printed"]))  # years are no count
        if output["number"] != "1" or printed:  # a number the text prints is the number recorded
            assert output["number"] in printed, output
        # and the quote sits in the grantee's own paragraph
        grantee = initiatives[output["initiative_id"]]["grantee"]
        assert any(grantee in line and output["as_printed"] in line for line in newsletter.splitlines()), output


def test_the_numbers_the_issue_names_are_there():
    planned = {(o["initiative_id"], o["output"]): int(o["number"]) for o in committed_outputs()}
    assert planned[("CSO-06", "network_members")] == 150 and planned[("CSO-06", "plans_adopted")] == 1
    assert planned[("CSO-16", "people_trained")] == 80
    assert planned[("CSO-22", "villages_reached")] == 13
    assert planned[("CSO-18", "schools_reached")] == 4
    assert planned[("CSO-17", "initiatives_supported")] == 2
    assert {planned[(i, "centres_opened")] for i in ("CSO-08", "CSO-14")} == {1}


def test_totals_keep_planned_and_reported_apart_and_unreported_is_not_zero():
    records = load_records()
    table = totals(records.outputs, records.table)
    planned = {o["output"]: 0 for o in committed_outputs()}
    for output in committed_outputs():
        planned[output["output"]] += int(output["number"])
    assert dict(zip(table["output"], table["planned"], strict=True)) == planned
    assert table["reported"].isna().all(), "nothing is reported yet: NA, not 0"
    reported = pd.concat([records.outputs, pd.DataFrame([{
        "initiative_id": "CSO-06", "kind": "reported", "output": "network_members", "number": 120,
        "what_en": "", "as_printed": "staff report", "as_of": "2022-09-30", "source": "final report"}])])
    again = totals(reported, records.table).set_index("output")
    assert again.loc["network_members", "planned"] == 150 and again.loc["network_members", "reported"] == 120
    assert pd.isna(again.loc["people_trained", "reported"])
    by_oblast = totals(records.outputs, records.table, "oblast_code")
    assert by_oblast.groupby("output")["planned"].sum().to_dict() == planned


def test_outputs_in_words_in_each_language():
    outputs = load_records().outputs
    for lang in ("ky", "ru", "en"):
        text = outputs_text(outputs, "planned", lang)["CSO-06"]
        assert f"{vocab.output_types().label('network_members', lang)}: 150" in text
    assert outputs_text(outputs, "reported", "en") == {}


def test_a_flat_file_has_no_outputs_and_says_nothing_false(tmp_path):
    from initiatives.export import to_csv

    flat = tmp_path / "flat.csv"
    flat.write_text(to_csv(load_records().table), encoding="utf-8")
    records = load_records(flat)
    assert list(records.outputs.columns) == list(no_outputs().columns) and records.outputs.empty
