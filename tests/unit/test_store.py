"""The versioned store (issue 29), on SQLite and on PostgreSQL: every test runs on both back ends.

Expected contents come from the committed CSV files read with the csv module, not from the store's own code.
"""

from __future__ import annotations

import csv
import io
import threading

import pytest
import sqlalchemy as sa

from initiatives import load_records
from initiatives.changes import INITIATIVES_SHEET, OUTPUTS_SHEET
from initiatives.store import BASELINE_AUTHOR, SaveRefused, Store, StoreError
from tests.conftest import RECORDS_DIR


def committed_rows(name: str) -> list[dict[str, str]]:
    with open(RECORDS_DIR / name, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def edited(files: dict[str, str], record: str, **fields: str) -> dict[str, str]:
    """The files with one initiative's fields changed (csv module only)."""
    reader = csv.DictReader(io.StringIO(files[INITIATIVES_SHEET]))
    rows = list(reader)
    for row in rows:
        if row["id"] == record:
            row.update(fields)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return {**files, INITIATIVES_SHEET: out.getvalue()}


def test_the_first_version_is_the_committed_data_authored_by_the_newsletter(store_url):
    store = Store(store_url)
    assert store.current() == 1
    (first,) = store.history()
    assert (first.number, first.author, first.restores) == (1, BASELINE_AUTHOR, None)
    for name in (INITIATIVES_SHEET, OUTPUTS_SHEET):
        assert store.files(1)[name] == (RECORDS_DIR / name).read_text(encoding="utf-8")
    # Every field of every committed record counts as added in the first version.
    filled = sum(1 for name in (INITIATIVES_SHEET, OUTPUTS_SHEET) for row in committed_rows(name)
                 for value in row.values() if value)
    assert first.change_count == filled == len(store.changes_of(1))
    assert Store(store_url).current() == 1, "opening it again adds no second baseline"


def test_a_save_is_the_next_version_with_its_field_changes_and_loads_as_records(store_url):
    store = Store(store_url)
    new = edited(store.files(1), "CSO-05", title_en="A new English title")
    version = store.save(1, new, "officer@example.org", "Title corrected from the grant agreement")
    assert (version.number, version.author, version.change_count) == (2, "officer@example.org", 1)
    (change,) = store.changes_of(2)
    old_title = next(r["title_en"] for r in committed_rows(INITIATIVES_SHEET) if r["id"] == "CSO-05")
    assert (change.record, change.kind, change.field, change.old, change.new) == (
        "CSO-05", "changed", "title_en", old_title, "A new English title")
    records = load_records(store.folder(2))
    assert records.table.set_index("id").loc["CSO-05", "title_en"] == "A new English title"
    assert load_records(store.folder(1)).table.set_index("id").loc["CSO-05", "title_en"] == old_title
    assert [v.number for v in store.history()] == [2, 1]


@pytest.mark.parametrize("note", ["", "   "])
def test_a_save_without_a_note_is_refused_and_writes_nothing(store_url, note):
    store = Store(store_url)
    with pytest.raises(SaveRefused, match="note"):
        store.save(1, edited(store.files(1), "CSO-05", title_en="x"), "officer@example.org", note)
    with pytest.raises(SaveRefused, match="nothing changed"):
        store.save(1, store.files(1), "officer@example.org", "no change")
    assert store.current() == 1 and len(store.history()) == 1


def test_of_two_saves_from_the_same_version_at_once_exactly_one_wins(store_url):
    Store(store_url)
    editors = [Store(store_url), Store(store_url)]  # two processes: two engines, two connections
    base = editors[0].files(1)
    start = threading.Barrier(2)
    outcome: dict[int, object] = {}

    def save(n: int) -> None:
        start.wait()
        try:
            outcome[n] = editors[n].save(1, edited(base, "CSO-05", title_en=f"title by editor {n}"),
                                         f"editor{n}@example.org", f"edit {n}")
        except SaveRefused as refused:
            outcome[n] = refused

    threads = [threading.Thread(target=save, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refused = [o for o in outcome.values() if isinstance(o, SaveRefused)]
    saved = [o for o in outcome.values() if not isinstance(o, SaveRefused)]
    assert len(saved) == 1 and len(refused) == 1, outcome
    assert refused[0].current == 2
    winner = saved[0].author.removeprefix("editor").split("@")[0]
    (missed,) = refused[0].missed  # the loser is shown what the winner changed
    assert (missed.record, missed.field, missed.new) == ("CSO-05", "title_en", f"title by editor {winner}")
    assert editors[0].current() == editors[1].current() == 2


def test_a_restore_is_a_new_version_with_the_earlier_content(store_url):
    store = Store(store_url)
    store.save(1, edited(store.files(1), "CSO-05", title_en="changed"), "a@example.org", "change")
    restored = store.restore(1, 2, "b@example.org", "undo the change")
    assert (restored.number, restored.restores) == (3, 1)
    assert store.files(3) == store.files(1)
    assert [c.new for c in store.changes_of(3)] != [] and store.files(2) != store.files(3)
    assert [v.number for v in store.history()] == [3, 2, 1]


def test_versions_are_append_only_in_the_database_itself(store_url):
    store = Store(store_url)
    for statement in ("UPDATE versions SET note = 'rewritten'", "DELETE FROM version_files",
                      "DELETE FROM version_changes", "UPDATE version_files SET content = ''"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), store.engine.begin() as connection:
            connection.execute(sa.text(statement))
    assert store.version(1).note and store.files(1)[INITIATIVES_SHEET]


def test_a_crash_in_the_middle_of_a_save_leaves_the_previous_version_current(store_url, monkeypatch):
    store = Store(store_url)
    new = edited(store.files(1), "CSO-05", title_en="half-written")

    def crash_after_the_version_row(connection, number, *args):
        connection.execute(sa.text("INSERT INTO versions VALUES (:n, 'now', 'x', 'x', NULL, 0)"), {"n": number})
        raise RuntimeError("the process died here")

    monkeypatch.setattr(store, "_insert", crash_after_the_version_row)
    with pytest.raises(RuntimeError):
        store.save(1, new, "a@example.org", "never saved")
    monkeypatch.undo()
    assert store.current() == 1 and len(store.history()) == 1
    assert store.save(1, new, "a@example.org", "saved").number == 2, "the next save is not blocked"


def test_two_processes_opening_an_empty_store_make_one_baseline(store_url):
    opened: list[Store] = []
    start = threading.Barrier(3)

    def open_store() -> None:
        start.wait()
        opened.append(Store(store_url))

    threads = [threading.Thread(target=open_store) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(opened) == 3
    assert [v.number for v in opened[0].history()] == [1]


def test_an_unreachable_database_is_named_without_its_password():
    with pytest.raises(StoreError) as caught:
        Store("postgresql+psycopg://editor:s3cret-word@127.0.0.1:1/yj")
    assert "127.0.0.1:1/yj" in str(caught.value) and "s3cret-word" not in str(caught.value)
