"""Writing an imported layer or table: through a scratch file that must read back before it replaces the
working one, so that a crash, a full disk or a bad input never leaves a half-written file for the viewers."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

from initiatives.problems import Problem, RecordsError


def replace_checked(target: Path, text: str, check: Callable[[Path], object]) -> None:
    """Write `text` to a scratch file beside `target`, `check` it (raising RecordsError if unusable), then
    replace `target` with it in one step; on any failure the old file stays and no scratch file is left."""
    scratch = target.with_name(f".{target.stem}-{os.getpid()}{target.suffix}")  # same folder: the replace is atomic
    try:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with scratch.open("w", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as err:
            raise RecordsError([write_problem(target, err)], kind="boundaries") from err
        check(scratch)
        os.replace(scratch, target)
    finally:
        scratch.unlink(missing_ok=True)


def write_problem(target: Path, err: OSError) -> Problem:
    """A failed write in words, naming the file that was kept."""
    kept = "the file there is kept as it was" if target.exists() else "nothing was written"
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return Problem(target.name, 0, "(file)", f"the disk is full: {target.parent} has no space left; {kept}")
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return Problem(target.name, 0, "(file)", f"cannot write in {target.parent} (permission denied or a "
                       f"read-only disk); {kept}")
    return Problem(target.name, 0, "(file)", f"cannot be written ({err.strerror or err}); {kept}")
