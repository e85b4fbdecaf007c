"""The view as an IATI activity file (standard 2.03), so the programme's who-what-where can flow into
d-portal and the donor's systems.

One activity for the programme (hierarchy 1) and one per initiative (hierarchy 2, its child). Every code is
from the standard's codelists (../shared/standards/iati-2.03/codelists; a test looks each one up). Where the
source is silent, the file says so instead of guessing:

- IATI requires a status and a date for every activity. The newsletter states a status for 20 initiatives;
  the others carry the programme's own status as of the newsletter (Implementation, 2022-02-28), and a
  description of type Other says that it is the programme's. Per-initiative dates are not published: every
  activity carries the programme's planned start and end (April 2021, September 2022; the source gives months,
  so the first and the last day of those months), with a narrative saying so.
- Places are approximate (a settlement's or an ayil aimak's centre, not the initiative's premises):
  exactness 2 everywhere. COD-AB's P-codes have no IATI geographic vocabulary, so they go in the location's
  own `ref`; the administrative element names the country (vocabulary A4, ISO 3166-1).
- An LSG grant whose grantee and title are not published gets a title that says exactly that.

Written with the standard library's ElementTree, which escapes every text and attribute.
"""

from __future__ import annotations

import calendar
import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

import pandas as pd

from initiatives import vocab
from initiatives.records import place_names, split_codes
from initiatives.xlsx import NOT_XML

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGS = ("en", "ky", "ru")  # English is each activity's default language; ky and ru are tagged
SECTOR_PEACEBUILDING = "15220"  # DAC 5: Civilian peace-building, conflict prevention and resolution
STATUS_IMPLEMENTATION = "2"
PROGRAMME_STATUS_AS_OF = "2022-02-28"  # the newsletter's last month, as the records' status_as_of
ROLE_FUNDING, ROLE_ACCOUNTABLE, ROLE_IMPLEMENTING = "1", "2", "4"
ORG_TYPE = {"cso": "22", "lsg": "11"}  # National NGO; Local Government
DATE_PLANNED_START, DATE_PLANNED_END = "1", "3"
RESULT_OUTPUT, MEASURE_UNIT = "1", "1"
RELATED_PARENT, RELATED_CHILD = "1", "2"
EXACTNESS_APPROXIMATE = "2"
LOCATION_CLASS = {"ayil_aimak": "1", "settlement": "2"}  # Administrative Region; Populated Place
FEATURE = {"ayil_aimak": "ADM3", "settlement": "PPL"}
REACH_ACTIVITY = "1"

WORDS = {
    "lsg_title": {"en": "Small grant to a local self-government body in {place}: grantee and title not published "
                        "in the source",
                  "ru": "Малый грант органу местного самоуправления, {place}: получатель и название в источнике "
                        "не опубликованы",
                  "ky": "{place}: жергиликтүү өз алдынча башкаруу органына чакан грант; алуучусу жана аталышы "
                        "булакта жарыяланган эмес"},
    "lsg_grantee": {"en": "Local self-government body in {place} (name not published in the source)",
                    "ru": "Орган местного самоуправления, {place} (название в источнике не опубликовано)",
                    "ky": "{place}: жергиликтүү өз алдынча башкаруу органы (аталышы булакта жарыяланган эмес)"},
    "status_from_programme": {
        "en": "Activity status: the programme's, as of {as_of}. The newsletter does not state this initiative's own.",
        "ru": "Статус деятельности: статус программы на {as_of}. Статус этой инициативы в бюллетене не указан.",
        "ky": "Иштин абалы: программанын {as_of} абалы. Бюллетень бул демилгенин өз абалын айтпайт."},
    "dates": {"en": "The programme's dates ({start} – {end}); the source gives months and no per-initiative dates.",
              "ru": "Сроки программы ({start} – {end}); источник даёт месяцы и не даёт сроков инициатив.",
              "ky": "Программанын мөөнөтү ({start} – {end}); булак айларды гана берет, демилгелердин мөөнөтүн "
                    "бербейт."},
    "target_groups": {"en": "For: {groups}", "ru": "Для: {groups}", "ky": "Кимдер үчүн: {groups}"},
}


def _month_start(month: str) -> str:
    return f"{month}-01"


def _month_end(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{month}-{calendar.monthrange(year, number)[1]:02d}"


def _narratives(parent: ET.Element, texts: dict[str, str]) -> None:
    """One narrative per language that has a text, English untagged (the activity's default language)."""
    for lang in LANGS:
        text = NOT_XML.sub("", texts.get(lang) or "").strip()  # XML 1.0 cannot hold them: the file would not parse
        if not text:
            continue
        narrative = ET.SubElement(parent, "narrative")
        if lang != "en":
            narrative.set(XML_LANG, lang)
        narrative.text = text


def _element(parent: ET.Element, tag: str, texts: dict[str, str] | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attributes.items()})
    if texts:
        _narratives(element, texts)
    return element


def _each_lang(template: str, **values: dict[str, str]) -> dict[str, str]:
    return {lang: WORDS[template][lang].format(**{k: v[lang] for k, v in values.items()}) for lang in LANGS}


def _same(text: str) -> dict[str, str]:
    return {lang: text for lang in LANGS}


class IatiFile:
    """The parts of the file every activity shares: reporting organisation, funder, partners, dates."""

    def __init__(self, programme: dict[str, Any]):
        self.programme = programme
        iati = programme["iati"]
        self.prefix = iati["activity_prefix"]
        self.reporting_ref = iati["reporting_org_ref"]
        self.reporting_type = iati["reporting_org_type"]
        self.start = _month_start(programme["start"])
        self.end = _month_end(programme["end"])
        self.dates_note = _each_lang("dates", start=_same(programme["start"]), end=_same(programme["end"]))
        lead = next(p for p in programme["partners"] if p.get("role") == "lead")
        self.lead = {lang: lead[lang] for lang in LANGS}

    def _common_head(self, activity: ET.Element, identifier: str, title: dict[str, str]) -> None:
        _element(activity, "iati-identifier").text = identifier
        _element(activity, "reporting-org", self.lead, ref=self.reporting_ref, type=self.reporting_type)
        _element(activity, "title", title)

    def _funder_and_lead(self, activity: ET.Element) -> None:
        _element(activity, "participating-org", self.programme["donor"], role=ROLE_FUNDING)
        _element(activity, "participating-org", self.lead, role=ROLE_ACCOUNTABLE, ref=self.reporting_ref,
                 type=self.reporting_type)

    def _status_dates_place(self, activity: ET.Element, status: str) -> None:
        _element(activity, "activity-status", code=status)
        _element(activity, "activity-date", self.dates_note, type=DATE_PLANNED_START, iso_date=self.start)
        _element(activity, "activity-date", self.dates_note, type=DATE_PLANNED_END, iso_date=self.end)
        _element(activity, "recipient-country", code="KG", percentage="100")

    def _sector(self, activity: ET.Element) -> None:
        _element(activity, "sector", vocabulary="1", code=SECTOR_PEACEBUILDING, percentage="100")

    def programme_activity(self, activity: ET.Element, children: list[str]) -> None:
        programme = self.programme
        self._common_head(activity, self.prefix, programme["name"])
        _element(activity, "description", programme["goal"], type="2")
        self._funder_and_lead(activity)
        for partner in programme["partners"]:
            if partner.get("role") != "lead":
                _element(activity, "participating-org", {lang: partner[lang] for lang in LANGS},
                         role=ROLE_IMPLEMENTING)
        self._status_dates_place(activity, STATUS_IMPLEMENTATION)
        self._sector(activity)
        for child in children:
            _element(activity, "related-activity", ref=child, type=RELATED_CHILD)

    def initiative_activity(self, activity: ET.Element, row: dict[str, str], places: dict[str, str],
                            outputs: pd.DataFrame) -> None:
        published = row["source_status"] == "published"
        if published:
            title = {lang: row[f"title_{lang}"] for lang in LANGS}
        else:
            title = _each_lang("lsg_title", place=places)
        self._common_head(activity, self.identifier(row["id"]), title)
        summary = {lang: row[f"summary_{lang}"] for lang in LANGS}
        _element(activity, "description", summary if any(summary.values()) else {"en": row["note"] or row["source"]},
                 type="1")
        groups = split_codes(row["target_groups"])
        if groups:
            labels = {lang: "; ".join(vocab.target_groups().label(g, lang) for g in groups) for lang in LANGS}
            _element(activity, "description", _each_lang("target_groups", groups=labels), type="3")
        status = row["status"] or STATUS_IMPLEMENTATION
        if not row["status"]:
            _element(activity, "description",
                     _each_lang("status_from_programme", as_of=_same(PROGRAMME_STATUS_AS_OF)), type="4")
        self._funder_and_lead(activity)
        grantee = ({lang: row["grantee"] if lang != "en" else row["grantee_latin"] or row["grantee"]
                    for lang in LANGS} if published and row["grantee"] else _each_lang("lsg_grantee", place=places))
        _element(activity, "participating-org", grantee, role=ROLE_IMPLEMENTING, type=ORG_TYPE[row["grant_type"]])
        self._status_dates_place(activity, status)
        self._location(activity, row, places)
        self._sector(activity)
        _element(activity, "related-activity", ref=self.prefix, type=RELATED_PARENT)
        for output in outputs.itertuples(index=False):
            self._planned_output(activity, output)

    def _location(self, activity: ET.Element, row: dict[str, str], places: dict[str, str]) -> None:
        kind = "ayil_aimak" if row["location_precision"] == "ayil_aimak" else "settlement"
        location = _element(activity, "location", ref=row["location_id"])
        _element(location, "location-reach", code=REACH_ACTIVITY)
        _element(location, "name", places)
        units = [f"{name} {row[column]}" for name, column in (("raion", "raion_code"),
                                                              ("ayil aimak", "ayil_aimak_code")) if row.get(column)]
        where = f"OCHA COD-AB P-codes: {', '.join(units)}. " if units else ""
        _element(location, "description", {"en": f"{where}Coordinates: {row['coordinates_source']}"})
        _element(location, "administrative", vocabulary="A4", level="0", code="KG")
        point = _element(location, "point", srsName="http://www.opengis.net/def/crs/EPSG/0/4326")
        _element(point, "pos").text = f"{float(row['latitude']):.5f} {float(row['longitude']):.5f}"
        _element(location, "exactness", code=EXACTNESS_APPROXIMATE)
        _element(location, "location-class", code=LOCATION_CLASS[kind])
        _element(location, "feature-designation", code=FEATURE[kind])

    def _planned_output(self, activity: ET.Element, output: Any) -> None:
        kinds = vocab.output_types()
        label = {lang: kinds.label(output.output, lang) for lang in LANGS}
        result = _element(activity, "result", type=RESULT_OUTPUT, aggregation_status="0")
        _element(result, "title", label)
        indicator = _element(result, "indicator", measure=MEASURE_UNIT, ascending="1")
        _element(indicator, "title", {"en": output.what_en, "ky": output.as_printed, "ru": label["ru"]})
        _element(indicator, "description", {"en": output.source})
        period = _element(indicator, "period")
        _element(period, "period-start", iso_date=self.start)
        _element(period, "period-end", iso_date=self.end)
        _element(period, "target", value=str(output.number))

    def identifier(self, initiative_id: str) -> str:
        return f"{self.prefix}-{initiative_id}"


def to_iati(rows: pd.DataFrame, outputs: pd.DataFrame, programme: dict[str, Any],
            generated: dt.datetime | None = None) -> bytes:
    """The rows (a view's, or all) as an IATI 2.03 activity file: the programme, then one activity per row,
    with the rows' planned outputs as results (reported outputs have no target to sit beside yet)."""
    generated = (generated or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    stamp = generated.isoformat()
    file = IatiFile(programme)
    root = ET.Element("iati-activities", {"version": VERSION, "generated-datetime": stamp})
    ids = [str(i) for i in rows["id"]]
    parent = ET.SubElement(root, "iati-activity", {XML_LANG: "en", "hierarchy": "1", "last-updated-datetime": stamp})
    file.programme_activity(parent, [file.identifier(i) for i in ids])
    places = {lang: place_names(rows, lang).tolist() for lang in LANGS}
    planned = outputs[outputs["kind"] == "planned"]
    by_initiative = {key: group for key, group in planned.groupby("initiative_id")}
    empty = planned.iloc[0:0]
    for position, row in enumerate(rows.astype(str).to_dict("records")):
        activity = ET.SubElement(root, "iati-activity",
                                 {XML_LANG: "en", "hierarchy": "2", "last-updated-datetime": stamp})
        file.initiative_activity(activity, row, {lang: places[lang][position] for lang in LANGS},
                                 by_initiative.get(row["id"], empty))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
