"""requirements.txt declares what the code imports: on a fresh machine nothing else is there.

CI ran on a machine whose own Python had `six`, so a missing declaration passed there and failed on a new
machine (libhxl imports six without declaring it). These tests read what is imported, not what we remember.
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata as metadata
import re
import sys
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = {"initiatives", "geodata", "ui", "tests", "bench", "pages", "dashboard"}
SKIP_DIRS = {".cache", ".git", "node_modules"}
# What every virtual environment starts with (setuptools hooks itself in as _distutils_hack).
VENV_OWN = {"pip", "setuptools"}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    names = set()
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            names.add(_normal(re.split(r"[<>=!~\[; ]", line)[0]))
    return names


def closure(names: set[str]) -> set[str]:
    """The declared distributions and everything they declare in turn (not their optional extras)."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for line in metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(_normal(requirement.name))
    return seen


def imported_top_level() -> set[str]:
    """Top-level modules the project's own files import."""
    found = set()
    for path in ROOT.rglob("*.py"):
        if SKIP_DIRS & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - FIRST_PARTY - set(sys.stdlib_module_names)


def test_every_module_the_code_imports_is_declared_directly() -> None:
    providers = metadata.packages_distributions()
    wanted = declared()
    undeclared = {module: providers.get(module) for module in imported_top_level()
                  if not {_normal(d) for d in providers.get(module, [])} & wanted}
    assert not undeclared, f"imported but not in requirements.txt: {undeclared}"


def test_what_the_declared_packages_import_is_declared_somewhere() -> None:
    """A package that imports another without declaring it (libhxl and six) needs our declaration."""
    for module in sorted(imported_top_level()):
        importlib.import_module(module)
    providers = metadata.packages_distributions()
    allowed = closure(declared()) | VENV_OWN
    stray = {}
    for name, module in list(sys.modules.items()):
        top = name.split(".")[0]
        if top in FIRST_PARTY or top in sys.stdlib_module_names or "." in name or not getattr(module, "__file__", None):
            continue
        dists = {_normal(d) for d in providers.get(top, [])}
        if dists and not dists & allowed:
            stray[top] = sorted(dists)
    assert not stray, f"imported at run time, declared by nobody: {stray}"
