"""What one element of each kind costs a Streamlit page open in Chromium (issue 15): the basis for choosing
widgets on the landing page.

    python -m bench.elements              # 7 rounds (about 6 minutes)
    python -m bench.elements --runs 11

For each kind, a one-line page plus 1 and plus 12 such elements, opened in turn in fresh browser contexts with
the one-line page itself; open → the last element visible. *First* is what the first element of a kind adds to
the one-line page (its code fetched and run, then drawn); *each more* is (12 − 1) / 11, what every further one
adds. Medians; the machine drifts between runs, so compare kinds within one run.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from bench import references
from bench.run import TIMEOUT_MS, Open, machine, opened_in_turn, text_shown
from tests.conftest import ROOT
from tests.e2e.conftest import Server, start_server

OPTIONS = "['Youth participation', 'Women', 'Elections', 'Schools and teachers']"
# kind -> (one element of it, the test id each drawn element carries)
KINDS = {
    "st.selectbox": (f"st.selectbox(f'box {{i}}', {OPTIONS})", "stSelectbox"),
    "st.multiselect": (f"st.multiselect(f'filter {{i}}', {OPTIONS})", "stMultiSelect"),
    "st.text_input": ("st.text_input(f'search {i}')", "stTextInput"),
    "st.toggle": ("st.toggle(f'mode {i}')", "stCheckbox"),
    "st.radio (horizontal)": (f"st.radio(f'shade {{i}}', {OPTIONS}, horizontal=True)", "stRadio"),
    "st.pills": (f"st.pills(f'bars {{i}}', {OPTIONS})", "stButtonGroup"),
    "st.button": ("st.button(f'button {i}')", "stButton"),
    "st.metric": ("st.metric(f'Initiatives {i}', 50)", "stMetric"),
    "st.html": ("st.html(f'<p>legend {i}</p>')", "stHtml"),
    "st.markdown": ("st.markdown(f'text **{i}**')", "stMarkdown"),
}
MANY = 12


def app(element: str, count: int) -> str:
    return (f'import streamlit as st\n\nst.write("{references.ONE_LINE_TEXT}")\n'
            f"for i in range({count}):\n    {element}\n")


def drawn(test_id: str, count: int):
    def ready(page: Page) -> None:
        page.locator(f'[data-testid="{test_id}"]').nth(count - 1).wait_for(state="visible", timeout=TIMEOUT_MS)
    return ready


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.elements", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    config = ROOT / ".streamlit" / "config.toml"
    servers: list[Server] = []
    with tempfile.TemporaryDirectory() as scratch_dir, sync_playwright() as playwright:
        scratch = Path(scratch_dir)

        def served(name: str, source: str) -> str:
            folder = scratch / name
            servers.append(start_server(scratch, script=references.write_app(folder, source, config), cwd=folder))
            return servers[-1].url

        try:
            opens = [Open("one-line page", served("one-line", references.ONE_LINE_APP),
                          text_shown(references.ONE_LINE_TEXT))]
            for n, (kind, (element, test_id)) in enumerate(KINDS.items()):
                for count in (1, MANY):
                    opens.append(Open(f"{kind} ×{count}", served(f"kind{n}-{count}", app(element, count)),
                                      drawn(test_id, count)))
            opened_in_turn(playwright, opens, args.runs)
        finally:
            for server in servers:
                server.stop()
    median = {o.name: statistics.median(o.samples) * 1000 for o in opens}
    base = median["one-line page"]
    print(f"Machine: {machine()}; {args.runs} rounds\n")
    print(f"one-line page: {base:,.0f} ms\n")
    print("| element | first | each more |\n|---|---|---|")
    for kind in KINDS:
        one, many = median[f"{kind} ×1"], median[f"{kind} ×{MANY}"]
        print(f"| `{kind}` | {one - base:+,.0f} ms | {(many - one) / (MANY - 1):+,.0f} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
