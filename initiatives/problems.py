"""Problems found in input files, each naming file, row and field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or row, or file) of an input file."""

    file: str
    row: int  # spreadsheet line number: the header is row 1; 0 means the whole file
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}: {self.field}: {self.message}"


# What failed to load, so that a reader is told which files to fix (the error page's title).
INPUT_KINDS = ("records", "vocabulary", "programme", "boundaries")


class RecordsError(Exception):
    """Input that cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem], kind: str = "records"):
        assert kind in INPUT_KINDS, kind
        self.problems = problems
        self.kind = kind
        super().__init__("\n".join(str(p) for p in problems))
