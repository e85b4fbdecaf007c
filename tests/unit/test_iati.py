"""The IATI activity file (issue 30): valid against the IATI 2.03 schema in ../shared (offline, with lxml),
every code looked up in the standard's own codelists, and what it says checked against the raw records."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys

import pytest
from lxml import etree

from initiatives import load_records
from initiatives.iati import to_iati
from initiatives.programme import load_programme
from initiatives.query import Filters, apply_filters
from tests.conftest import RECORDS_DIR, ROOT, raw_initiatives
from tests.exports import iati_codelist as codelist
from tests.exports import parsed_iati as parsed

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
WHEN = dt.datetime(2026, 12, 2, 9, 30, tzinfo=dt.UTC)

# Each coded place in the file and the codelist its values come from.
CODED = {
    ("iati-activity/reporting-org", "type"): "OrganisationType",
    ("iati-activity/participating-org", "role"): "OrganisationRole",
    ("iati-activity/participating-org", "type"): "OrganisationType",
    ("iati-activity/description", "type"): "DescriptionType",
    ("iati-activity/activity-status", "code"): "ActivityStatus",
    ("iati-activity/activity-date", "type"): "ActivityDateType",
    ("iati-activity/recipient-country", "code"): "Country",
    ("iati-activity/sector", "vocabulary"): "SectorVocabulary",
    ("iati-activity/sector", "code"): "Sector",
    ("iati-activity/location/location-reach", "code"): "GeographicLocationReach",
    ("iati-activity/location/administrative", "vocabulary"): "GeographicVocabulary",
    ("iati-activity/location/administrative", "code"): "Country",
    ("iati-activity/location/exactness", "code"): "GeographicExactness",
    ("iati-activity/location/location-class", "code"): "GeographicLocationClass",
    ("iati-activity/location/feature-designation", "code"): "LocationType",
    ("iati-activity/result", "type"): "ResultType",
    ("iati-activity/result/indicator", "measure"): "IndicatorMeasure",
}


@pytest.fixture(scope="module")
def records():
    return load_records()


@pytest.fixture(scope="module")
def whole(records) -> etree._Element:
    return parsed(to_iati(records.table, records.outputs, load_programme(), WHEN))


def children(root: etree._Element) -> dict[str, etree._Element]:
    return {a.findtext("iati-identifier"): a for a in root.findall("iati-activity[@hierarchy='2']")}


def narratives(element: etree._Element) -> dict[str, str]:
    return {n.get(XML_LANG, "en"): n.text for n in element.findall("narrative")}


def test_the_whole_file_is_valid_iati_2_03(whole):
    assert whole.get("version") == "2.03"
    assert whole.get("generated-datetime") == "2026-12-02T09:30:00+00:00"


def test_every_code_is_in_the_standards_own_codelist(whole):
    seen = 0
    for (path, attribute), name in CODED.items():
        for element in whole.getroottree().xpath(f"/iati-activities/{path}[@{attribute}]"):
            assert element.get(attribute) in codelist(name), (path, attribute, element.get(attribute), name)
            seen += 1
    assert seen > 50 * 10
    languages = {n.get(XML_LANG) for n in whole.iter("narrative")} | {a.get(XML_LANG) for a in whole}
    assert languages - {None} == {"ky", "ru", "en"} and languages <= codelist("Language") | {None}
    assert whole.find("iati-activity/sector").get("code") == "15220"


def test_one_activity_per_initiative_under_the_programme(whole, records):
    ids = [row["id"] for row in raw_initiatives()]
    kids = children(whole)
    prefix = load_programme()["iati"]["activity_prefix"]
    assert sorted(kids) == sorted(f"{prefix}-{i}" for i in ids)
    parent = whole.find("iati-activity[@hierarchy='1']")
    assert parent.findtext("iati-identifier") == prefix
    assert sorted(r.get("ref") for r in parent.findall("related-activity[@type='2']")) == sorted(kids)
    for activity in kids.values():
        assert [r.get("ref") for r in activity.findall("related-activity")] == [prefix]


def test_status_is_the_records_own_or_says_it_is_the_programmes(whole):
    kids = children(whole)
    stated = 0
    for row in raw_initiatives():
        activity = next(a for k, a in kids.items() if k.endswith("-" + row["id"]))
        code = activity.find("activity-status").get("code")
        said = activity.find("description[@type='4']")
        if row["status"]:
            stated += 1
            assert code == row["status"] and said is None
        else:
            assert code == "2" and "the programme's" in narratives(said)["en"]
            assert set(narratives(said)) == {"en", "ky", "ru"}
    assert stated == 20


def test_dates_are_the_programmes_and_say_so(whole):
    programme = load_programme()
    for activity in whole.findall("iati-activity"):
        dates = {d.get("type"): d for d in activity.findall("activity-date")}
        assert set(dates) == {"1", "3"}
        assert dates["1"].get("iso-date").startswith(programme["start"])
        assert dates["3"].get("iso-date").startswith(programme["end"])
        assert dt.date.fromisoformat(dates["3"].get("iso-date")).day == 30  # September's last day
        assert "programme" in narratives(dates["1"])["en"]


def test_titles_grantees_and_places_in_three_languages(whole):
    kids = children(whole)
    for row in raw_initiatives():
        activity = next(a for k, a in kids.items() if k.endswith("-" + row["id"]))
        title = narratives(activity.find("title"))
        assert set(title) == {"en", "ky", "ru"} and all(title.values())
        implementing = activity.find("participating-org[@role='4']")
        if row["source_status"] == "published":
            assert title == {"en": row["title_en"], "ky": row["title_ky"], "ru": row["title_ru"]}
            assert narratives(implementing)["ky"] == row["grantee"]
            assert implementing.get("type") == "22"
        else:  # an LSG grant: the file says what is not published, and names no one
            assert "not published" in title["en"] and "не опубликованы" in title["ru"]
            assert "not published" in narratives(implementing)["en"] and implementing.get("type") == "11"
        funder = activity.find("participating-org[@role='1']")
        assert narratives(funder)["en"] == "European Union"
        location = activity.find("location")
        assert location.find("exactness").get("code") == "2"
        assert location.get("ref") == row["location_id"]


def test_coordinates_match_the_locations_file(whole):
    with (RECORDS_DIR / "locations.csv").open(encoding="utf-8", newline="") as handle:
        places = {r["location_id"]: r for r in csv.DictReader(handle)}
    for activity in whole.findall("iati-activity[@hierarchy='2']"):
        location = activity.find("location")
        lat, lon = (float(v) for v in location.findtext("point/pos").split())
        place = places[location.get("ref")]
        assert (lat, lon) == (float(place["latitude"]), float(place["longitude"]))
        expected = "ADM3" if place["location_precision"] == "ayil_aimak" else "PPL"
        assert location.find("feature-designation").get("code") == expected


def test_planned_outputs_are_results_with_their_printed_numbers(whole):
    with (RECORDS_DIR / "outputs.csv").open(encoding="utf-8", newline="") as handle:
        planned = [r for r in csv.DictReader(handle) if r["kind"] == "planned"]
    kids = children(whole)
    found = []
    for identifier, activity in kids.items():
        for result in activity.findall("result"):
            indicator = result.find("indicator")
            found.append((identifier.rsplit("-", 2)[-2] + "-" + identifier.rsplit("-", 1)[-1],
                          narratives(indicator.find("title"))["ky"], indicator.find("period/target").get("value")))
    assert sorted(found) == sorted((r["initiative_id"], r["as_printed"], r["number"]) for r in planned)


def test_a_view_holds_only_its_initiatives_and_stays_valid(records):
    rows = apply_filters(records.table, Filters(oblasts=("KG-O",)))
    root = parsed(to_iati(rows, records.outputs, load_programme(), WHEN))
    assert sorted(k.rsplit("-", 2)[-2] + "-" + k.rsplit("-", 1)[-1] for k in children(root)) == sorted(rows["id"])
    assert 0 < len(rows) < 50


def test_hostile_text_stays_text(records):
    rows = records.table.head(1).copy()
    hostile = '<script>alert(1)</script> & "quoted" ]]>'
    rows.loc[rows.index[0], "title_ru"] = "вертикальная\x0bтабуляция"  # a control character XML 1.0 cannot hold
    rows.loc[rows.index[0], ["grantee", "title_en", "summary_ru"]] = hostile
    root = parsed(to_iati(rows, records.outputs, load_programme(), WHEN))
    activity = root.find("iati-activity[@hierarchy='2']")
    assert narratives(activity.find("title"))["en"] == hostile
    assert narratives(activity.find("participating-org[@role='4']"))["ky"] == hostile
    assert not list(root.iter("script"))
    assert narratives(activity.find("title"))["ru"] == "вертикальнаятабуляция"


def test_the_command_line_writes_the_same_valid_file():
    result = subprocess.run([sys.executable, "-m", "initiatives", "export", "--format", "iati"], cwd=ROOT,
                            capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    root = parsed(result.stdout)
    assert len(root.findall("iati-activity")) == 51
