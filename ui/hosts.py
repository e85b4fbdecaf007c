"""What names this machine in a request: shared by the sign-in rules (ui.auth) and the first-response guard
(ui.server), which runs outside any session and so imports nothing that needs one."""

from __future__ import annotations

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def host_and_port(netloc: str) -> tuple[str, str]:
    """`[::1]:8501` -> ("::1", "8501"); `localhost` -> ("localhost", ""); lowercased."""
    netloc = netloc.strip().lower()
    if netloc.startswith("["):
        host, _, rest = netloc[1:].partition("]")
        return host, rest.removeprefix(":")
    host, _, port = netloc.partition(":")
    return host, port


def local_host(host: str) -> bool:
    """Whether a Host header names this machine: 127.0.0.1, ::1 or localhost, with any port."""
    return host_and_port(host)[0] in LOOPBACK
