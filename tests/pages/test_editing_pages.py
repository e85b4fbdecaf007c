"""The Edit data and History pages through AppTest (issue 29): who reaches them, the restore, About's date."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from initiatives.store import Store
from tests.pages.conftest import run_app
from tests.unit.test_store import edited


@pytest.fixture
def own_store(tmp_path, monkeypatch) -> Store:
    """A store of the test's own (the app opens the same one, from $YJ_DATA_DIR)."""
    monkeypatch.setenv("YJ_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("YJ_DATABASE_URL", raising=False)
    return Store(f"sqlite:///{tmp_path / 'data' / 'versions.sqlite'}")


@pytest.fixture
def local_editor(monkeypatch, own_store) -> Iterator[Store]:
    """--edit-locally on a server listening on loopback only (AppTest has no server: its address is set, and
    its session's request is one from this machine, as the browser at the laptop sends it)."""
    from streamlit import config

    import ui.auth

    monkeypatch.setattr(sys, "argv", [sys.argv[0], "--edit-locally"])
    monkeypatch.setattr(ui.auth, "this_request", lambda: ({"Host": "127.0.0.1:8501"}, "127.0.0.1"))
    before = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    yield own_store
    config.set_option("server.address", before)


def texts(at) -> str:
    return "\n".join(str(e.value) for kind in ("title", "caption", "text", "markdown", "success", "error")
                     for e in getattr(at, kind))


@pytest.mark.parametrize("page", ["pages/edit.py", "pages/history.py"])
def test_a_viewer_has_no_editors_page_to_run(own_store, page):
    at = run_app()
    with pytest.raises(ValueError, match="Known pages") as missing:
        at.switch_page(page)
    known = str(missing.value).split("Known pages:")[1]
    assert "pages/explorer.py" in known and "edit.py" not in known and "history.py" not in known
    assert [b.key for b in at.sidebar.button if b.key and b.key.startswith("account_")] == [], "no sign-in box"


def test_in_local_editing_mode_off_loopback_nobody_edits(own_store, monkeypatch):
    from streamlit import config

    monkeypatch.setattr(sys, "argv", [sys.argv[0], "--edit-locally"])
    assert config.get_option("server.address") in (None, ""), "every interface, as `streamlit run` alone listens"
    at = run_app()
    with pytest.raises(ValueError, match="Known pages"):
        at.switch_page("pages/edit.py")


def test_files_opened_with_records_are_read_only_even_in_local_editing_mode(local_editor, monkeypatch, tmp_path):
    from tests.conftest import RECORDS_DIR

    monkeypatch.setattr(sys, "argv", [sys.argv[0], "--records", str(RECORDS_DIR), "--edit-locally"])
    at = run_app()
    with pytest.raises(ValueError, match="Known pages"):
        at.switch_page("pages/edit.py")


def test_an_editor_restores_an_earlier_version_as_a_new_one_and_a_note_is_required(local_editor):
    store = local_editor
    store.save(1, edited(store.files(1), "CSO-05", title_en="changed"), "a@example.org", "the change")
    at = run_app(page="pages/history.py")
    assert "The current version is 2." in texts(at)
    at.selectbox(key="history_chosen").select(1).run()
    at.button(key="history_restore").click().run()
    assert "Write a note first" in texts(at) and store.current() == 2, "no note, no version"
    at.text_input(key="history_note_1").input("back to the source").run()
    at.button(key="history_restore").click().run()
    assert "Restored as version 3." in texts(at)
    assert store.current() == 3 and store.files(3) == store.files(1)
    assert store.version(3).note == "back to the source" and store.version(3).restores == 1
    assert store.version(3).author.endswith("(local editing mode)")


def test_about_says_when_the_data_last_changed_and_the_sidebar_names_the_version(local_editor):
    store = local_editor
    version = store.save(1, edited(store.files(1), "CSO-05", title_en="changed"), "a@example.org", "x")
    at = run_app(page="pages/about.py", query={"lang": "ru"})
    assert f"Данные последний раз менялись {version.when} UTC (версия 2)." in texts(at)
    assert any("Версия данных 2" in c.value for c in at.sidebar.caption)


def test_a_save_by_another_process_is_seen_on_the_next_interaction(own_store):
    store = own_store
    at = run_app(query={"lang": "en"}, page="pages/explorer.py")
    assert "changed by someone else" not in str(at.dataframe[0].value.to_dict())
    store.save(1, edited(store.files(1), "CSO-05", title_en="changed by someone else"), "b@example.org", "y")
    at.run()
    table = at.dataframe[0].value
    assert table.astype(str).apply(lambda c: c.str.contains("changed by someone else")).any().any()


def test_a_save_after_another_editors_is_refused_shows_their_changes_and_keeps_the_edit(local_editor):
    from initiatives.changes import INITIATIVES_SHEET
    from initiatives.editing import propose
    from tests.unit.test_editing import rows_of, with_changes
    from ui.editing import BASE, PROPOSAL

    store = local_editor
    mine = propose(1, store.files(1), with_changes(rows_of(store), "CSO-07", title_en="my title"))
    at = run_app(page="pages/edit.py")
    at.session_state[BASE] = 1  # this editor started from version 1 ...
    at.session_state[PROPOSAL] = mine  # ... and has checked an edit
    store.save(1, edited(store.files(1), "CSO-05", title_en="their title"), "other@example.org", "theirs")
    at.run()
    at.text_area(key="edit_note_1").input("my edit").run()
    at.button(key="edit_save").click().run()
    assert "version 2 was saved by another editor after version 1" in texts(at)
    shown = [d.value.astype(str) for d in at.dataframe]
    assert any(t.apply(lambda c: c.str.contains("their title")).any().any() for t in shown), "their changes"
    assert store.current() == 2 and store.version(2).author == "other@example.org"
    kept = at.session_state[PROPOSAL]
    assert "my title" in kept.files[INITIATIVES_SHEET], "the refused edit is kept"
    at.button(key="edit_again").click().run()
    assert "You are editing version 2." in texts(at)


def test_a_store_that_cannot_be_reached_is_a_readable_page_without_its_password(monkeypatch):
    monkeypatch.setenv("YJ_DATABASE_URL", "postgresql+psycopg://editor:s3cret-word@127.0.0.1:1/yj")
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    problems = at.dataframe[0].value.astype(str).to_string()
    assert "127.0.0.1:1/yj" in problems and "s3cret-word" not in problems + texts(at)
