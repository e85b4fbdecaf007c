"""An edit checked before it can be saved (issue 29): the LSG publishing rule, the command line's checks and
messages, uploads of what the dashboard exports, formulas kept out of spreadsheets, and the command line's
import and history against the same store."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from initiatives import load_records
from initiatives.changes import INITIATIVES_SHEET, OUTPUTS_SHEET
from initiatives.editing import SHEET_COLUMNS, as_table, propose, propose_upload, table_rows
from initiatives.export import to_csv
from initiatives.problems import RecordsError
from initiatives.store import Store
from initiatives.upload import read_upload
from tests.conftest import RECORDS_DIR, ROOT
from ui.problems import WORDINGS, message

LSG = {"grantee": "Ленин айыл өкмөтү", "legal_form": "not_stated", "title_ky": "Тынчтык үчүн", "themes": "dialogue",
       "target_groups": "youth;residents"}


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'versions.sqlite'}")


def rows_of(store: Store, number: int = 1) -> list[dict[str, str]]:
    files = store.files(number)
    return table_rows(as_table(files[INITIATIVES_SHEET], SHEET_COLUMNS[INITIATIVES_SHEET]),
                      SHEET_COLUMNS[INITIATIVES_SHEET])


def with_changes(rows: list[dict[str, str]], record: str, **fields: str) -> list[dict[str, str]]:
    return [{**row, **fields} if row["id"] == record else row for row in rows]


def test_an_lsg_grant_is_published_only_when_a_source_other_than_the_announcement_is_named(store):
    rows = rows_of(store)
    with pytest.raises(RecordsError) as refused:
        propose(1, store.files(1), with_changes(rows, "LSG-03", **LSG))
    (problem,) = [p for p in refused.value.problems if p.field == "source"]
    lsg_03_row = next(n for n, r in enumerate(rows, start=2) if r["id"] == "LSG-03")
    assert (problem.file, problem.row) == (INITIATIVES_SHEET, lsg_03_row)
    proposal = propose(1, store.files(1), with_changes(rows, "LSG-03", **LSG, source="Grant agreement, 2022-03"))
    loaded = proposal.records.table.set_index("id").loc["LSG-03"]
    assert (loaded["source_status"], loaded["grantee"]) == ("published", LSG["grantee"])
    assert {c.field for c in proposal.changes} == {*LSG, "source", "source_status"}
    assert {c.record for c in proposal.changes} == {"LSG-03"}


def test_an_edit_meets_the_command_lines_checks_with_row_and_field(store):
    rows = with_changes(rows_of(store), "CSO-02", grant_type="grant", status="9")
    with pytest.raises(RecordsError) as refused:
        propose(1, store.files(1), rows)
    named = {(p.row, p.field) for p in refused.value.problems}
    assert named == {(3, "grant_type"), (3, "status")}  # CSO-02 is the second record: row 3
    assert store.current() == 1


def test_the_exported_csv_and_excel_upload_back_unchanged(store, tmp_path):
    from ui.downloads import excel_bytes

    records = load_records(store.folder(1))
    for lang in ("ru", "ky"):
        workbook = excel_bytes(records.table, lang, records.outputs)
        proposal = propose_upload(1, store.files(1), read_upload(f"initiatives-{lang}.xlsx", workbook))
        assert proposal.changes == [], (lang, proposal.changes[:3])
    flat = to_csv(records.table).encode("utf-8")
    assert propose_upload(1, store.files(1), read_upload("initiatives.csv", flat)).changes == []


def test_an_upload_names_its_own_file_and_rows(store):
    records = load_records(store.folder(1))
    table = records.table.copy()
    table.loc[table["id"] == "CSO-05", "grant_type"] = "grant"
    with pytest.raises(RecordsError) as refused:
        propose_upload(1, store.files(1), read_upload("mine.csv", to_csv(table).encode("utf-8")))
    (problem,) = refused.value.problems
    assert (problem.file, problem.field) == ("mine.csv", "grant_type")
    exported = list(csv.DictReader(io.StringIO(to_csv(table))))
    assert exported[problem.row - 2]["id"] == "CSO-05", "the row number is the uploaded file's own"


@pytest.mark.parametrize("data", [b"", b"\xff\xfe\x00garbage", b"PK\x03\x04not a zip", b"a,b\n1,2\n"])
def test_a_file_that_is_no_export_is_refused_in_words(data):
    with pytest.raises(RecordsError) as refused:
        read_upload("upload.bin", data)
    assert refused.value.problems and all(p.file == "upload.bin" for p in refused.value.problems)


def test_a_formula_saved_through_an_edit_reaches_no_spreadsheet_as_a_formula(store):
    from initiatives.export import to_hxl_csv
    from ui.downloads import excel_bytes, labelled_csv

    formula = '=HYPERLINK("http://198.51.100.7/x","click")'
    rows = with_changes(rows_of(store), "CSO-05", grantee=formula, title_en="+1+1")
    proposal = propose(1, store.files(1), rows)
    store.save(1, proposal.files, "a@example.org", "formula test")
    records = load_records(store.folder(2))
    assert records.table.set_index("id").loc["CSO-05", "grantee"] == formula, "kept as typed"
    for text in (to_csv(records.table), labelled_csv(records.table, "en", records.outputs),
                 to_hxl_csv(records.table, "ru")):
        cells = [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for c in row]
        assert f"'{formula}" in cells and formula not in cells
    import zipfile
    book = zipfile.ZipFile(io.BytesIO(excel_bytes(records.table, "en", records.outputs)))
    sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and 't="inlineStr"' in sheet


def test_a_reported_result_entered_as_an_edit_counts_apart_from_the_plan(store):
    files = store.files(1)
    outputs = table_rows(as_table(files[OUTPUTS_SHEET], SHEET_COLUMNS[OUTPUTS_SHEET]), SHEET_COLUMNS[OUTPUTS_SHEET])
    reported = {"initiative_id": "CSO-16", "kind": "reported", "output": "people_trained", "number": "74",
                "what_en": "activists trained", "as_printed": "74 активист окутулду", "as_of": "2022-06-30",
                "source": "Final report of CSO-16, 2022-07"}
    proposal = propose(1, files, None, [*outputs, reported])
    (added,) = {c.record for c in proposal.changes}
    assert added == "CSO-16 reported people_trained"
    from initiatives.outputs import totals

    total = totals(proposal.records.outputs, proposal.records.table).set_index("output").loc["people_trained"]
    planned = sum(int(r["number"]) for r in csv.DictReader(open(RECORDS_DIR / OUTPUTS_SHEET, encoding="utf-8"))
                  if r["output"] == "people_trained" and r["kind"] == "planned")
    assert (total["planned"], total["reported"]) == (planned, 74)
    with pytest.raises(RecordsError) as refused:
        propose(1, files, None, [*outputs, {**reported, "as_of": ""}])
    assert [p.field for p in refused.value.problems] == ["as_of"]


def test_every_listed_wording_is_one_the_checks_really_say():
    """Each translated wording matches a message the data layer really writes: found in its source code."""
    sources = "".join((ROOT / f).read_text(encoding="utf-8") for f in (
        "initiatives/records.py", "initiatives/outputs.py", "initiatives/editing.py", "initiatives/sheets.py",
        "initiatives/upload.py"))
    for pattern, words in WORDINGS:
        fixed = pattern.split("(?P")[0].replace("\\", "").split("'")[0].strip()
        assert fixed[:12] in sources, pattern
        assert set(words) == {"ru", "ky"}
    assert message("unknown grant type 'grant' (expected one of: cso, lsg)", "ru") == \
        "неизвестное значение «grant» (тип гранта); возможные: cso, lsg"
    assert message("something new", "ky") == "something new"


def cli(*args: str, url: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "initiatives", *args], cwd=ROOT, capture_output=True, text=True,
                          env={"YJ_DATABASE_URL": url, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                               "USER": "maintainer", "YJ_LAYERS_DIR": "/nonexistent"})


def test_the_command_line_imports_exports_and_lists_the_same_versions(store, tmp_path):
    exported = cli("export", url=store.url)
    assert exported.returncode == 0 and "version 1" in exported.stderr
    table = list(csv.DictReader(io.StringIO(exported.stdout)))
    for row in table:
        if row["id"] == "CSO-05":
            row["title_en"] = "Edited from the command line"
    edited = tmp_path / "edited.csv"
    with edited.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    assert cli("import", str(edited), "--base", "1", url=store.url).returncode == 2, "a note is required"
    done = cli("import", str(edited), "--note", "title fixed", "--base", "1", url=store.url)
    assert done.returncode == 0, done.stderr
    again = cli("import", str(edited), "--note", "title fixed", "--base", "1", url=store.url)
    assert again.returncode == 1 and "version 2 was saved after version 1" in again.stderr
    assert "CSO-05: title_en" in again.stderr, "the refused import shows what it missed"
    lines = cli("history", url=store.url).stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["2", "1"]
    number, _, who, note, count = lines[0].split("\t")
    assert (who, note, count) == ("maintainer (command line)", "title fixed", "1 changes")
    assert "Edited from the command line" in cli("export", url=store.url).stdout
    assert Store(store.url).version(2).author == "maintainer (command line)"


def test_an_emptied_cell_of_any_kind_is_empty_and_an_empty_new_row_is_no_record():
    import pandas as pd

    table = pd.DataFrame({"initiative_id": ["CSO-16", None], "kind": ["reported", None],
                          "number": pd.array([74, pd.NA], dtype="Int64"), "as_of": [float("nan"), None]})
    rows = table_rows(table, ("initiative_id", "kind", "number", "as_of"))
    assert rows == [{"initiative_id": "CSO-16", "kind": "reported", "number": "74", "as_of": ""}]
