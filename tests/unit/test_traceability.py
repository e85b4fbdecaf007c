"""Every CSO fact in the records can be found in the newsletter, under the right oblast heading."""

import re

import pytest

from initiatives import load_records, vocab

HEADING = re.compile(r"^(\S+(?:-\S+)?) облусу:\s*$", re.MULTILINE)


def sections(text: str) -> dict[str, str]:
    """The CSO list split at its oblast headings (Чүй облусу: ... Талас облусу:)."""
    start = text.index("Жарандык коом уюмдары үчүн тынчтык демилгелерге 25 грант")
    end = text.index('"Ынтымактуу Жашоо" долбоору жөнүндө')
    part = text[start:end]
    marks = list(HEADING.finditer(part))
    return {m.group(1) + " облусу": part[m.end(): nxt.start() if nxt else len(part)]
            for m, nxt in zip(marks, [*marks[1:], None], strict=False)}


CSO = load_records().table.query("grant_type == 'cso'")


def test_newsletter_has_seven_oblast_sections(newsletter):
    assert len(sections(newsletter)) == 7


@pytest.mark.parametrize("row", CSO.to_dict("records"), ids=CSO["id"].tolist())
def test_grantee_and_title_are_printed_under_the_records_oblast(row, newsletter):
    heading = vocab.oblasts().label(row["oblast_code"], "ky")
    section = sections(newsletter)[heading]
    assert row["grantee"] in section, f"{row['id']}: grantee not under {heading}"
    assert row["title_ky"] in section, f"{row['id']}: title not under {heading}"


def test_cso_count_per_oblast_matches_the_bullets(newsletter):
    bullets = {h: len(re.findall(r"^- ", s, re.MULTILINE)) for h, s in sections(newsletter).items()}
    counts = CSO["oblast_code"].map(lambda c: vocab.oblasts().label(c, "ky")).value_counts().to_dict()
    assert counts == bullets


def test_lsg_list_really_is_absent(newsletter):
    heading = "ЖӨБ органдары үчүн тынчтык демилгелерге 25 чакан-гранттар:"
    after = newsletter[newsletter.index(heading) + len(heading):]
    assert after.lstrip().startswith("Жарандык коом уюмдары"), "the source now lists LSG grants: record them"
