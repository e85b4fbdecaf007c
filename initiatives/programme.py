"""The programme's own facts (name, goal, partners, activities, known gaps) from programme.toml.

Read and checked like the records: a TOML syntax error or a missing translation is a
`file:row: field` problem, not a traceback on the About page.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from initiatives import vocab
from initiatives.problems import Problem, RecordsError
from initiatives.sheets import read_input_bytes

FILE_NAME = "programme.toml"
TEXTS = ("name", "goal", "donor")  # each a table with one string per language
LISTS = ("partners", "activities", "known_gaps")  # each an array of such tables
STRINGS = ("source", "start", "end")
_AT_LINE = re.compile(r"\(at line (\d+)")


def _line_of(text: str, key: str) -> int:
    """The line where `key` is set or its table starts (1 where it is absent), for messages."""
    pattern = re.compile(rf"^[ \t]*(\[\[?[ \t]*{re.escape(key)}[ \t]*\]\]?|{re.escape(key)}[ \t]*=)", re.MULTILINE)
    found = pattern.search(text)
    return text[: found.start()].count("\n") + 1 if found else 1


def _translation_problems(file: str, line: int, field: str, value: Any) -> list[Problem]:
    if not isinstance(value, dict):
        return [Problem(file, line, field, "expected a table with ky, ru and en texts")]
    return [Problem(file, line, f"{field}.{lang}", "a non-empty text is required")
            for lang in vocab.LANGUAGES if not isinstance(value.get(lang), str) or not value[lang].strip()]


def load_programme(directory: Path | None = None) -> dict[str, Any]:
    """The programme facts, checked; RecordsError (kind "programme") naming file, line and field."""
    path = (directory or vocab.DATA_DIR) / FILE_NAME
    data, problems = read_input_bytes(path)
    if data is None:
        raise RecordsError(problems, kind="programme")
    try:
        text = data.decode("utf-8-sig")
        programme = tomllib.loads(text)
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise RecordsError([Problem(FILE_NAME, line, "(encoding)", "not UTF-8; save the file as UTF-8")],
                           kind="programme") from err
    except tomllib.TOMLDecodeError as err:
        at = _AT_LINE.search(str(err))
        raise RecordsError([Problem(FILE_NAME, int(at.group(1)) if at else 0, "(toml)", f"not valid TOML: {err}")],
                           kind="programme") from err
    for key in STRINGS:
        if not isinstance(programme.get(key), str) or not programme[key].strip():
            problems.append(Problem(FILE_NAME, _line_of(text, key), key, "a non-empty text is required"))
    for key in TEXTS:
        problems += _translation_problems(FILE_NAME, _line_of(text, key), key, programme.get(key))
    for key in LISTS:
        items = programme.get(key)
        if not isinstance(items, list) or not items:
            problems.append(Problem(FILE_NAME, _line_of(text, key), key, f"expected one or more [[{key}]] tables"))
            continue
        for i, item in enumerate(items, start=1):
            problems += _translation_problems(FILE_NAME, _line_of(text, key), f"{key}[{i}]", item)
    if problems:
        raise RecordsError(problems, kind="programme")
    return programme
