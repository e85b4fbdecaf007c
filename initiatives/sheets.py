"""Reading input files safely: every way a path can fail becomes a Problem, never a traceback.

Shared by the records, the vocabularies, the programme facts and the boundary importer, so
that a FIFO, a device, a folder, a symlink loop, an unreadable file or an over-long name is
named for what it is, the same way everywhere. Files are only ever opened for reading.
"""

from __future__ import annotations

import csv
import errno
import io
import re
import stat
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from initiatives.problems import Problem

MAX_FILE_BYTES = 40 * 1024 * 1024
# Ids and codes (L01, SYN-000001, ЖӨБ-01, KG-C): they travel into the map's script and back with a click.
ID_PATTERN = re.compile(r"\w[\w.-]*")
# A date as the records write it (a status's as-of date, a reported output's): YYYY-MM-DD.
ISO_DATE = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", re.ASCII)
BOM = b"\xef\xbb\xbf"
# An error list longer than this helps nobody (a 20,000-column header is one mistake, not 20,000).
MAX_PROBLEMS_PER_FILE = 50

_OS_REASONS = {
    errno.ENOENT: "no such file or directory",
    errno.EACCES: "permission denied: the file cannot be read by the user running the dashboard",
    errno.EPERM: "permission denied: the file cannot be read by the user running the dashboard",
    errno.ENAMETOOLONG: "the path (or one of its parts) is too long for the file system",
    errno.ELOOP: "a symbolic link loop: the link points (eventually) at itself",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
}


def os_problem(name: str, err: OSError) -> Problem:
    """An operating-system error on an input path, said in words."""
    reason = _OS_REASONS.get(err.errno or 0, f"cannot be read ({err.strerror or err})")
    return Problem(name, 0, "(file)", reason)


def path_kind(path: Path) -> tuple[str, Problem | None]:
    """("file" | "dir" | "other", None), or ("", the problem) when the path cannot be used.

    stat() follows links, so a symlink loop and a dangling link surface here with their own words.
    """
    name = path.name or str(path)
    try:
        mode = path.stat().st_mode
    except OSError as err:
        if err.errno == errno.ENOENT and path.is_symlink():
            return "", Problem(name, 0, "(file)", "a symbolic link whose target does not exist")
        return "", os_problem(name, err)
    if stat.S_ISDIR(mode):
        return "dir", None
    if stat.S_ISREG(mode):
        return "file", None
    what = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    return "other", Problem(name, 0, "(file)", f"{what}, not a file: give the path of a saved file")


def size_text(size: int) -> str:
    """Bytes in words precise enough that a file just over a limit does not read as equal to it."""
    return f"{size:,} bytes ({size / 2**20:.2f} MiB)"


def read_input_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a regular file of at most `limit` bytes, or the problem that prevents it."""
    name = path.name or str(path)
    kind, problem = path_kind(path)
    if problem:
        return None, [problem]
    if kind == "dir":
        return None, [Problem(name, 0, "(file)", "is a folder; give the path of a file")]
    try:
        with path.open("rb") as handle:
            # Read one byte past the limit rather than trusting st_size (files in /proc report 0).
            data = handle.read(limit + 1)
    except OSError as err:
        return None, [os_problem(name, err)]
    if len(data) > limit:
        size = path.stat().st_size  # 0 for files in /proc, which can still be read past the limit
        said = size_text(size) if size > limit else f"over {size_text(limit)}"
        return None, [Problem(name, 0, "(file)", f"file is {said}; the limit is {size_text(limit)}")]
    return data, []


def read_csv_text(path: Path, notices: list[str]) -> tuple[str | None, list[Problem]]:
    """Decode a CSV file strictly as UTF-8 (with or without a byte-order mark), recovering (and saying so)
    from repeated BOMs or CRLF."""
    name = path.name
    data, problems = read_input_bytes(path)
    if data is None:
        return None, problems
    boms = 0
    while data.startswith(BOM):  # a file saved twice by a spreadsheet can carry two
        data = data[len(BOM):]
        boms += 1
    if boms > 1:  # one is "UTF-8 with BOM", as Excel and our own CSV downloads write it: nothing to say
        notices.append(f"{name}: {boms} UTF-8 byte-order marks were found and ignored")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return None, [Problem(name, line, "(encoding)",
                              f"not UTF-8 (byte {err.start}); save the file as UTF-8 "
                              "(spreadsheets often save Windows-1251)")]
    if "\x00" in text:
        return None, [Problem(name, text[: text.index("\x00")].count("\n") + 1, "(encoding)",
                              "contains NUL bytes; this is not a text CSV file")]
    if not text.strip():
        return None, [Problem(name, 0, "(file)", "file is empty")]
    if "\r\n" in text:
        mixed = " (mixed with plain newlines)" if "\n" in text.replace("\r\n", "") else ""
        notices.append(f"{name}: Windows line endings (CRLF){mixed} were read as plain newlines")
    return text, []


@dataclass
class Sheet:
    """A CSV file read into rows of strings, remembering where each row came from."""

    name: str
    header: list[str]
    rows: list[dict[str, str]]  # each has "_row": spreadsheet line number

    def rownum(self, row: dict[str, str]) -> int:
        return int(row["_row"])


def capped(problems: list[Problem], file: str) -> list[Problem]:
    """At most MAX_PROBLEMS_PER_FILE problems, and a last line saying how many more there were."""
    if len(problems) <= MAX_PROBLEMS_PER_FILE:
        return problems
    more = len(problems) - MAX_PROBLEMS_PER_FILE
    return [*problems[:MAX_PROBLEMS_PER_FILE], Problem(file, 0, "(file)", f"… and {more:,} more problems like these")]


def header_problems(name: str, header: list[str], required: tuple[str, ...],
                    optional: tuple[str, ...]) -> list[Problem]:
    """Missing, unknown and repeated columns, in time linear in the header's width (a header of
    50,000 columns took 52 s to refuse when each column was counted along the whole header)."""
    allowed = set(required) | set(optional)
    present = Counter(header)
    problems = [Problem(name, 1, col, "required column is missing") for col in required if col not in present]
    problems += [Problem(name, 1, col or "(empty)", "unknown column") for col in header if col not in allowed]
    return problems + [Problem(name, 1, col, "column appears more than once")
                       for col, n in sorted(present.items()) if n > 1]


# Our CSVs guard a text cell that a spreadsheet would take for a formula with a leading apostrophe
# (initiatives.export.guarded): taken off again here, so that a file we wrote loads back as it was.
GUARD = "'"
# C0 control characters a record cannot hold: every export would carry them differently (the CSV raw, Excel
# without them, IATI stripped). Tab and newline are text; a carriage return is a line ending (read_csv_text).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def control_problem(value: str) -> str | None:
    """What is wrong with a cell holding a control character, or None."""
    found = CONTROL.search(value)
    return None if found is None else (f"contains the control character U+{ord(found.group()):04X} at character "
                                       f"{found.start() + 1}: remove it")


# What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def unguarded(cell: str) -> str:
    """A cell as it was before export.guarded: the apostrophe in front of a formula sign (or of another
    apostrophe) goes; any other leading apostrophe is the data's own."""
    return cell[1:] if cell.startswith(GUARD) and cell[1:].startswith((*FORMULA_START, GUARD)) else cell


def read_sheet(path: Path, required: Iterable[str], optional: Iterable[str],
               problems: list[Problem], notices: list[str]) -> Sheet | None:
    """Read a CSV with a known set of columns; every problem found goes to `problems`."""
    text, found = read_csv_text(path, notices)
    problems.extend(found)
    if text is None:
        return None
    name = path.name
    reader = csv.reader(io.StringIO(text, newline=""))
    guards = GUARD in text  # most files have no apostrophe at all: their cells need no look
    del text  # the reader's buffer holds its own copy: at 100,000 rows each copy is ~80 MiB
    try:
        header = [h.strip() for h in next(reader)]
        raw_rows = list(reader)
    except csv.Error as err:
        problems.append(Problem(name, reader.line_num, "(csv)", f"cannot parse CSV: {err}"))
        return None
    optional = tuple(optional)
    wrong = header_problems(name, header, tuple(required), optional)
    if wrong:
        problems.extend(capped(wrong, name))
        return None
    rows: list[dict[str, str]] = []
    row_problems: list[Problem] = []
    raw_rows.reverse()  # popped from the end as each row is read: their lists go as the dicts come
    for number in range(2, len(raw_rows) + 2):
        cells = raw_rows.pop()
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            row_problems.append(Problem(name, number, "(row)",
                                        f"has {len(cells)} cells but the header has {len(header)}"))
            continue
        values = [c.strip() for c in cells]
        if guards:
            values = [unguarded(v) for v in values]
        row = {**dict.fromkeys(optional, ""), **dict(zip(header, values, strict=True))}
        if CONTROL.search("".join(values)):
            for column, value in zip(header, values, strict=True):
                if problem := control_problem(value):
                    row_problems.append(Problem(name, number, column, problem))
        row["_row"] = str(number)
        rows.append(row)
    problems.extend(capped(row_problems, name))
    if not rows and not row_problems:
        problems.append(Problem(name, 1, "(file)", "has a header but no records"))
    return Sheet(name, header, rows)
