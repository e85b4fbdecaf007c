"""The Edit data page's parts: the two ways to change the records, the check, the preview and the save.

Both ways (a table, an uploaded spreadsheet) lead to the same steps: initiatives.editing checks the edit with the
command line's checks, the preview lists what changes field by field, and the save, with a required note, names
the version the edit started from (initiatives.store refuses it if another editor saved since). Every write
asks ui.auth itself; the page being hidden from viewers is not what protects it.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from initiatives import vocab
from initiatives.changes import INITIATIVES_SHEET, OUTPUTS_SHEET, Change, records_touched
from initiatives.editing import SHEET_COLUMNS, Proposal, as_table, propose, propose_upload, table_rows
from initiatives.outputs import KINDS
from initiatives.problems import RecordsError
from initiatives.records import MULTI_VALUED, SOURCE_STATUSES, split_codes
from initiatives.store import SaveRefused, reason
from initiatives.upload import read_upload
from ui.auth import require_editor
from ui.data import local_layers_dir, store
from ui.i18n import t
from ui.problems import field_name, problems_table
from ui.text import markdown_text

BASE = "edit_base"  # the version this editor's edit started from
PROPOSAL = "edit_proposal"
PROBLEMS = "edit_problems"
NAMED = "edit_problem_records"  # (sheet, row) -> record id, for the problems of an edit made in the tables
REFUSED = "edit_refused"
SAVED = "edit_saved"
ROUND = "edit_round"  # part of the editors' widget keys: a new round (after a save) starts from fresh tables
NOTHING = "—"  # an optional choice left empty, as the table shows it
OPTIONAL_CHOICES = ("legal_form", "status")
# The table's columns in the order an officer fills in an LSG grant: who, what, for whom, the source, how far.
EDIT_ORDER = ("id", "grant_type", "location_id", "grantee", "legal_form", "title_ky", "title_en", "title_ru",
              "themes", "target_groups", "source", "source_status", "status", "status_as_of", "status_note",
              "summary_ky", "summary_en", "summary_ru", "note")


def started_from() -> int:
    """The version this editor is editing: the current one when they arrived, until they save or start again."""
    if BASE not in st.session_state:
        st.session_state[BASE] = store().current()
    return st.session_state[BASE]


def start_again() -> None:
    """Drop the edit in progress and edit the current version."""
    for key in (BASE, PROPOSAL, PROBLEMS, REFUSED):
        st.session_state.pop(key, None)
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1


def changes_table(found: list[Change], lang: str) -> pd.DataFrame:
    """Field-level changes as data, never markup: record, what happened, field, old → new."""
    return pd.DataFrame([{t("change_record", lang): c.record, t("change_kind", lang): t(f"change_{c.kind}", lang),
                          t("field", lang): field_name(c.field, lang), t("change_old", lang): c.old,
                          t("change_new", lang): c.new} for c in found],
                        columns=[t(k, lang) for k in ("change_record", "change_kind", "field", "change_old",
                                                      "change_new")])


def touched_text(found: list[Change], lang: str) -> str:
    counts = records_touched(found)
    return t("change_counts", lang, added=counts["added"], changed=counts["changed"], removed=counts["removed"])


def _initiatives_editor(files: dict[str, str], lang: str, key: str) -> list[dict[str, str]]:
    """The initiatives as an editable table, coded fields as choices, the LSG grants first (filling them in is
    the first use); the edited rows. Every record is in the one table: a filter that showed some would hand
    one view's unsaved edits (kept by row position) to another view's rows."""
    columns = SHEET_COLUMNS[INITIATIVES_SHEET]
    table = as_table(files[INITIATIVES_SHEET], columns)
    part = table.sort_values("grant_type", key=lambda c: c != "lsg", kind="stable").reset_index(drop=True)
    part = part.assign(**{c: part[c].map(split_codes) for c in MULTI_VALUED},
                       **{c: part[c].replace("", NOTHING) for c in OPTIONAL_CHOICES})
    names = vocab.columns()

    def choice(code_list: vocab.Vocabulary, **options: object) -> st.column_config.SelectboxColumn:
        """The codes with their labels; an empty cell (nothing stated) is a dash among them unless a code is
        required (the grid would show an empty choice as the English "None")."""
        codes = list(code_list.codes) if options.get("required") else [NOTHING, *code_list.codes]
        return st.column_config.SelectboxColumn(options=codes, **options,
                                                format_func=lambda c: f"{code_list.label(c, lang)} · {c}"
                                                if c != NOTHING else NOTHING)

    locations = as_table((vocab.DATA_DIR / "locations.csv").read_text(encoding="utf-8"),
                         ("location_id", "place_as_printed"))
    places = dict(zip(locations["location_id"], locations["place_as_printed"], strict=True))
    config = {column: st.column_config.TextColumn(names.label(column, lang)) for column in columns}
    config.update({
        "grant_type": choice(vocab.grant_types(), label=names.label("grant_type", lang), required=True),
        "legal_form": choice(vocab.legal_forms(), label=names.label("legal_form", lang)),
        "status": choice(vocab.activity_statuses(), label=names.label("status", lang)),
        "location_id": st.column_config.SelectboxColumn(names.label("location_id", lang), options=list(places),
                                                        required=True, format_func=lambda c: f"{c} · {places[c]}"),
        "themes": st.column_config.MultiselectColumn(names.label("themes", lang), options=list(vocab.themes().codes),
                                                     format_func=lambda c: vocab.themes().label(c, lang)),
        "target_groups": st.column_config.MultiselectColumn(
            names.label("target_groups", lang), options=list(vocab.target_groups().codes),
            format_func=lambda c: vocab.target_groups().label(c, lang)),
        "source_status": st.column_config.SelectboxColumn(names.label("source_status", lang),
                                                          options=list(SOURCE_STATUSES), disabled=True,
                                                          help=t("edit_source_status_help", lang)),
    })
    edited = st.data_editor(part, key=f"{key}_initiatives", column_config=config, hide_index=True,
                            num_rows="dynamic", width="stretch", column_order=list(EDIT_ORDER))
    mine = [{**row, **{c: "" for c in OPTIONAL_CHOICES if row[c] == NOTHING}} for row in table_rows(edited, columns)]
    by_id = {row["id"]: row for row in mine if row["id"]}
    # In the file's own order (a save changes no order); a record gone from the table is removed; new ones last.
    rows = [by_id.pop(record) for record in table["id"] if record in by_id]
    return rows + [row for row in mine if not row["id"] or row["id"] in by_id]


def _outputs_editor(files: dict[str, str], ids: list[str], lang: str, key: str) -> list[dict[str, str]]:
    """Planned and reported outputs as an editable table: where staff report what came of an initiative."""
    columns = SHEET_COLUMNS[OUTPUTS_SHEET]
    table = as_table(files.get(OUTPUTS_SHEET, ""), columns)
    table["number"] = pd.to_numeric(table["number"], errors="coerce").astype("Int64")
    names = vocab.columns()
    kinds = vocab.output_types()
    config = {column: st.column_config.TextColumn(names.label(column, lang)) for column in columns}
    config.update({
        "initiative_id": st.column_config.SelectboxColumn(names.label("initiative_id", lang), options=ids,
                                                          required=True),
        "kind": st.column_config.SelectboxColumn(names.label("kind", lang), options=list(KINDS), required=True,
                                                 format_func=lambda k: t(f"output_kind_{k}", lang)),
        "output": st.column_config.SelectboxColumn(names.label("output", lang), options=list(kinds.codes),
                                                   required=True, format_func=lambda c: kinds.label(c, lang)),
        "number": st.column_config.NumberColumn(names.label("number", lang), min_value=1, step=1, format="%d"),
    })
    edited = st.data_editor(table, key=f"{key}_outputs", column_config=config, hide_index=True,
                            num_rows="dynamic", width="stretch", column_order=list(columns))
    return table_rows(edited, columns)


def _check(build: Callable[[], Proposal], named: dict[tuple[str, int], str] | None = None) -> None:
    """Run the checks on an edit; keep the proposal, or the problems, for the steps below."""
    for key in (PROPOSAL, PROBLEMS, REFUSED, SAVED):
        st.session_state.pop(key, None)
    st.session_state[NAMED] = named or {}
    try:
        st.session_state[PROPOSAL] = build()
    except RecordsError as err:
        st.session_state[PROBLEMS] = err.problems


def edit_by_table(lang: str) -> None:
    base = started_from()
    files = store().files(base)
    key = f"edit_{base}_{st.session_state.get(ROUND, 0)}"
    st.subheader(t("edit_initiatives", lang))
    initiatives = _initiatives_editor(files, lang, key)
    st.subheader(t("edit_outputs", lang))
    st.caption(t("edit_outputs_help", lang))
    outputs = _outputs_editor(files, [row["id"] for row in initiatives if row["id"]], lang, key)
    if st.button(t("edit_check", lang), key=f"{key}_check", type="primary"):
        named = {(INITIATIVES_SHEET, n): row["id"] for n, row in enumerate(initiatives, start=2)}
        named |= {(OUTPUTS_SHEET, n): row["initiative_id"] for n, row in enumerate(outputs, start=2)}
        _check(lambda: propose(base, files, initiatives, outputs, local_layers_dir()), named)


def edit_by_upload(lang: str) -> None:
    base = started_from()
    st.caption(t("edit_upload_help", lang))
    uploaded = st.file_uploader(t("edit_upload", lang), type=["csv", "xlsx"],
                                key=f"edit_upload_{base}_{st.session_state.get(ROUND, 0)}")
    if uploaded is not None and st.button(t("edit_check_upload", lang), key="edit_check_upload", type="primary"):
        data = uploaded.getvalue()
        _check(lambda: propose_upload(base, store().files(base), read_upload(uploaded.name, data),
                                            local_layers_dir()))


def review_and_save(lang: str) -> None:
    """The problems, or the preview and the save; a refused save shows what the other editor changed."""
    if SAVED in st.session_state:
        st.success(t("edit_saved", lang, number=st.session_state[SAVED]))
    problems = st.session_state.get(PROBLEMS)
    if problems:
        st.error(t("edit_problems", lang, n=len(problems)))
        # st.table renders Markdown in its cells: each cell escaped, so that a quoted value shows as typed.
        table = problems_table(problems, lang, st.session_state.get(NAMED))
        st.table(table.map(lambda cell: markdown_text(str(cell))), hide_index=True)
        return
    refused: SaveRefused | None = st.session_state.get(REFUSED)
    if refused is not None and refused.current is None:
        st.error(str(refused))
    elif refused is not None:
        st.error(t("edit_refused", lang, current=refused.current, base=started_from()))
        st.dataframe(changes_table(refused.missed, lang), hide_index=True, width="stretch", key="edit_missed")
        st.button(t("edit_start_again", lang, current=refused.current), on_click=start_again, key="edit_again")
    proposal: Proposal | None = st.session_state.get(PROPOSAL)
    if proposal is None:
        return
    st.subheader(t("edit_preview", lang))
    if not proposal.changes:
        st.info(t("edit_no_changes", lang))
        return
    st.text(touched_text(proposal.changes, lang))
    st.dataframe(changes_table(proposal.changes, lang), hide_index=True, width="stretch", key="edit_preview_table")
    st.download_button(t("edit_keep_changes", lang), proposal.files[INITIATIVES_SHEET].encode("utf-8"),
                       f"initiatives-edit-from-version-{proposal.base}.csv", "text/csv", key="edit_keep",
                       on_click="ignore")
    note = st.text_area(t("edit_note", lang), key=f"edit_note_{proposal.base}", max_chars=2000,
                        placeholder=t("edit_note_placeholder", lang))
    if st.button(t("edit_save", lang), type="primary", key="edit_save"):
        if note.strip():
            save(proposal, note, lang)
        else:
            st.error(t("edit_note_required", lang))


def save(proposal: Proposal, note: str, lang: str) -> None:
    who = require_editor()  # asked again here: a forged message that reached this far still writes nothing
    try:
        version = store().save(proposal.base, proposal.files, who, note)
    except SaveRefused as refused:  # another editor saved first (or, forged, no note): nothing was written
        st.session_state[REFUSED] = refused
        st.rerun()
    except sa.exc.SQLAlchemyError as err:  # the database went away: the save was one transaction, so none of it
        st.error(t("edit_store_down", lang, reason=reason(err)))
        return
    start_again()
    st.session_state[SAVED] = version.number
    st.rerun()
