"""The deployment tests drive Debian's Chromium too (tests/e2e's fixture)."""

from tests.e2e.conftest import browser  # noqa: F401 (a fixture, used by name)
