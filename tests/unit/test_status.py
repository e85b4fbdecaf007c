"""How far each initiative had got (issue 30): the IATI activity status as of the newsletter, read from its
own verbs, quoted; where the words do not settle it, no status and a reason. The expected readings are made
here from the newsletter's text, not from the records."""

from __future__ import annotations

import re

import pytest

from initiatives import Filters, apply_filters, load_records, vocab
from initiatives.export import labelled_table
from tests.conftest import raw_initiatives

# The newsletter's verbs for work under way ("is carrying out", "is working on", "began", spelled as printed),
# and those that say only what a project is or will do ("presented", "presents", "is envisaged", "helps").
UNDER_WAY = re.compile(r"ишке ашыр|ишкен ашыр|үстүндө иш|илгерилетүүдө|баштады")
NOT_SETTLED = re.compile(r"тартуул|каралган|көмөктөшөт")
QUOTED = re.compile(r"'([^']*[\u0400-\u04ff][^']*)'")  # a quoted fragment with Cyrillic in it


def paragraph(newsletter: str, record: dict[str, str]) -> str:
    """The newsletter's bullet that prints this grantee and title (its first 20 letters, as printed)."""
    (found,) = [line for line in newsletter.splitlines()
                if line.startswith("- ") and record["title_ky"][:20] in line and record["grantee"] in line]
    return found


def test_each_csos_status_is_what_its_paragraph_says(newsletter):
    records = {r["id"]: r for r in raw_initiatives()}
    implementing = 0
    for rid, record in records.items():
        if record["grant_type"] != "cso":
            continue
        text = paragraph(newsletter, record)
        if UNDER_WAY.search(text):
            assert (record["status"], record["status_as_of"]) == ("2", "2022-02-28"), rid
            implementing += 1
        else:
            assert NOT_SETTLED.search(text), f"{rid}: a paragraph this test cannot read"
            assert record["status"] == "" and record["status_as_of"] == "", rid
            assert "so no status" in record["status_note"], f"{rid}: the note says why there is none"
    assert implementing == 20


def test_every_reading_quotes_the_newsletter_word_for_word(newsletter):
    for record in raw_initiatives():
        quotes = QUOTED.findall(record["status_note"])
        assert quotes, f"{record['id']}: the status note quotes the source"
        for quote in quotes:
            assert quote in newsletter, f"{record['id']}: '{quote}' is not in the newsletter"


def test_the_lsg_grants_are_awarded_and_nothing_more():
    for record in raw_initiatives():
        if record["grant_type"] == "lsg":
            assert record["status"] == "" and "'грант алышты'" in record["status_note"]


def test_a_status_filter_with_every_choice_is_no_filter():
    table = load_records().table
    choices = vocab.status_choices().codes
    assert len(apply_filters(table, Filters(statuses=choices))) == len(table) == 50
    implementing = apply_filters(table, Filters(statuses=("2",)))
    unstated = apply_filters(table, Filters(statuses=(vocab.UNSTATED,)))
    assert set(implementing["status"]) == {"2"} and set(unstated["status"]) == {""}
    assert len(implementing) + len(unstated) == 50
    small = apply_filters(table, Filters(statuses=("2",)), vectorised=False)
    assert list(small["id"]) == list(apply_filters(table, Filters(statuses=("2",)), vectorised=True)["id"])


@pytest.mark.parametrize("lang, label", [("ky", "Ишке ашырылууда"), ("ru", "Реализация"), ("en", "Implementation")])
def test_the_labelled_export_names_the_status_in_the_readers_language(lang, label):
    table = labelled_table(load_records().table, lang)
    names = vocab.columns()
    status = table.set_index(names.label("id", lang)).loc["CSO-01"]
    assert status[names.label("status_label", lang)] == label and status[names.label("status", lang)] == "2"
    assert status[names.label("status_as_of", lang)] == "2022-02-28"
