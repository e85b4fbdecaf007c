"""The public deployment the README describes, run for real: deploy/nginx/yj-dashboard.conf in Debian's nginx,
in front of two Streamlit processes, all on loopback (issue 14).

Checks: no password, no page; with it, the page; 20 websocket sessions for 60 s through the proxy with no
error, each session's requests on one process; and a process killed moves its viewers to the other on
reload, with the same view and the same numbers. The figures are printed (README, "Deployment, tested").
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gzip
import random
import re
import shutil
import ssl
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import websockets

from bench.load import Client, Tally, percentile
from tests.conftest import ROOT, raw_initiatives, run_async
from tests.e2e.conftest import Server, free_port, start_server

SHIPPED = ROOT / "deploy" / "nginx" / "yj-dashboard.conf"
MAIN = ROOT / "deploy" / "nginx" / "nginx.conf"  # the main file, with the worker and connection limits
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
USER, PASSWORD = "programme", "Ынтымак-2022"
SESSIONS, SECONDS = 20, 60
LOG_FORMAT = "$cookie__streamlit_xsrf\t$upstream_addr\t$status\t$request_uri"  # the cookie holds '|'


@dataclass
class Deployment:
    url: str
    servers: list[Server]
    access_log: Path

    def upstream(self, server: Server) -> str:
        return server.url.removeprefix("http://")

    def log(self) -> list[tuple[str, str, str, str]]:
        return [tuple(line.split("\t", 3)) for line in self.access_log.read_text().splitlines()]


def auth_header(user: str = USER, password: str = PASSWORD) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def insecure() -> ssl.SSLContext:
    """The test's certificate is self-signed: encryption without verification, on loopback only."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, context=insecure(), timeout=30) as response:
            return response.status, _lower(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, _lower(err.headers), ""


def _lower(headers) -> dict[str, str]:
    """Header names in lower case (uvicorn sends them so; nginx passes them on as they are)."""
    return {name.lower(): value for name, value in headers.items()}


def configured(shipped: str, *, listen: int, upstreams: list[str], cert: Path, key: Path, users: Path) -> str:
    """The shipped file with this machine's ports, certificate and password file; each swap must apply once."""
    swaps = [("listen 443 ssl;", f"listen 127.0.0.1:{listen} ssl;"),
             ("server 127.0.0.1:8501 ", f"server {upstreams[0]} "),
             ("server 127.0.0.1:8502 ", f"server {upstreams[1]} "),
             ("/etc/ssl/certs/dashboard.pem", str(cert)),
             ("/etc/ssl/private/dashboard.key", str(key)),
             ("auth_basic_user_file /etc/nginx/yj.htpasswd;", f"auth_basic_user_file {users};")]
    for old, new in swaps:
        assert shipped.count(old) == 1, f"the shipped config no longer has '{old}' once"
        shipped = shipped.replace(old, new)
    return shipped


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator[Deployment]:
    folder = tmp_path_factory.mktemp("deploy")
    with deployed(folder) as (url, servers):
        yield Deployment(url, servers, folder / "access.log")


@contextlib.contextmanager
def deployed(folder: Path, processes: int = 2) -> Iterator[tuple[str, list[Server]]]:
    """The shipped deployment, for as long as the block runs: `processes` Streamlit processes behind nginx,
    its files in `folder`; the URL and the servers (bench.venue runs the same)."""
    assert Path(NGINX).exists(), "Debian's nginx is required (scripts/test.sh installs it)"
    with contextlib.ExitStack() as running:
        servers = []
        for _ in range(processes):
            servers.append(start_server(folder))
            running.callback(servers[-1].stop)
        url = start_nginx(folder, servers)
        running.callback(stop_nginx, folder)
        yield url, servers


def start_nginx(folder: Path, servers: list[Server], tls: bool = True, compress: bool = True,
                port: int | None = None) -> str:
    """nginx with the shipped site on a free loopback port, its files all in `folder`; returns its URL.
    `tls=False` listens for plain HTTP (bench.venue: Chromium caches nothing served with an untrusted
    certificate); `compress=False` turns the shipped gzip off (to weigh what it saves)."""
    cert, key = folder / "dashboard.pem", folder / "dashboard.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    hashed = subprocess.run(["openssl", "passwd", "-apr1", PASSWORD], check=True, capture_output=True,
                            text=True).stdout.strip()
    (folder / "yj.htpasswd").write_text(f"{USER}:{hashed}\n")
    port = port or free_port()
    site = configured(SHIPPED.read_text(), listen=port, upstreams=[s.url.removeprefix("http://") for s in servers],
                      cert=cert, key=key, users=folder / "yj.htpasswd")
    if not tls:
        site = site.replace(f"listen 127.0.0.1:{port} ssl;", f"listen 127.0.0.1:{port};", 1)
    if not compress:
        site = site.replace("gzip            on;", "gzip            off;", 1)
    (folder / "site.conf").write_text(site)
    temp = "".join(f"\n    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                            "uwsgi", "scgi"))
    main = MAIN.read_text()
    swaps = [("user www-data;", "user root;"), ("pid /run/nginx.pid;", f"pid {folder / 'nginx.pid'};"),
             ("error_log /var/log/nginx/error.log", f"error_log {folder / 'error.log'}"),
             ("access_log /var/log/nginx/access.log;",
              f"log_format yj '{LOG_FORMAT}';\n    access_log {folder / 'access.log'} yj;{temp}"),
             ("include /etc/nginx/conf.d/yj-dashboard.conf;", f"include {folder / 'site.conf'};")]
    for old, new in swaps:
        assert main.count(old) == 1, f"the shipped nginx.conf no longer has '{old}' once"
        main = main.replace(old, new)
    (folder / "nginx.conf").write_text(main)
    check = subprocess.run([NGINX, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    subprocess.run([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")], check=True)  # daemonises
    url = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while fetch(url + "/_stcore/health")[0] != 401:
        assert time.monotonic() < deadline, (folder / "error.log").read_text()
        time.sleep(0.2)
    return url


def stop_nginx(folder: Path) -> None:
    subprocess.run([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-s", "quit"], check=False)


class ProxiedViewer(Client):
    """A viewer behind the proxy, in a browser's order: the page, the health check (which sets the XSRF
    cookie nginx hashes on), then the websocket with that cookie."""

    def __init__(self, url: str, tally: Tally, rng: random.Random, cookie: str = ""):
        super().__init__(url, tally, rng)
        self.cookie = cookie

    def load_page(self) -> int:
        headers = {"Authorization": auth_header(), **({"Cookie": self.cookie} if self.cookie else {})}
        status = fetch(self.url + "/", headers)[0]
        _, response, _ = fetch(self.url + "/_stcore/health", headers)
        found = re.search(r"_streamlit_xsrf=([^;]+)", response.get("set-cookie", ""))
        if found and not self.cookie:
            self.cookie = f"_streamlit_xsrf={found.group(1)}"
        return status

    async def connect(self) -> None:
        assert await asyncio.to_thread(self.load_page) == 200
        self.ws = await websockets.connect(
            self.url.replace("https://", "wss://") + "/_stcore/stream", subprotocols=["streamlit"],
            origin=self.url, additional_headers={"Authorization": auth_header(), "Cookie": self.cookie},
            ssl=insecure(), max_size=64 * 2**20)


def test_no_password_no_page(deployment):
    for headers in ({}, {"Authorization": auth_header(password="wrong")}):
        status, response, _ = fetch(deployment.url + "/", headers)
        assert status == 401 and "Basic" in response.get("www-authenticate", "")
        assert fetch(deployment.url + "/_stcore/health", headers)[0] == 401


def test_with_the_password_the_page(deployment):
    status, _, body = fetch(deployment.url + "/", {"Authorization": auth_header()})
    assert status == 200 and '<div id="root">' in body
    status, response, _ = fetch(deployment.url + "/_stcore/health", {"Authorization": auth_header()})
    assert status == 200 and "_streamlit_xsrf=" in response.get("set-cookie", ""), "the cookie nginx hashes on"


def test_twenty_sessions_for_a_minute_each_on_one_process(deployment):
    from initiatives import load_records

    table = load_records().table
    lists = (sorted({c for cell in table["themes"] for c in cell.split(";") if c}),
             sorted(table["oblast_code"].unique()), sorted(table["location_id"].unique()))
    tally = Tally()
    viewers = [ProxiedViewer(deployment.url, tally, random.Random(100 + i)) for i in range(SESSIONS)]

    async def everyone() -> None:
        await asyncio.gather(*(v.run(SECONDS, lists) for v in viewers))

    started = time.monotonic()
    run_async(everyone())
    elapsed = time.monotonic() - started
    time.sleep(1)  # nginx writes a websocket's log line when it closes
    assert tally.errors == [], tally.errors[:10]
    assert tally.actions >= SESSIONS * SECONDS / 4, "each viewer acted every 1-3 s"
    assert len(tally.initiatives_shown) >= 3, "the actions changed what the pages showed"
    per_cookie: dict[str, set[str]] = defaultdict(set)
    streams = 0
    for cookie, upstream, status, uri in deployment.log():
        if cookie in {v.cookie.split("=", 1)[1] for v in viewers}:
            per_cookie[cookie].add(upstream)
            streams += uri == "/_stcore/stream" and status == "101"
    assert streams == SESSIONS, "every session's websocket went through the proxy"
    assert len(per_cookie) == SESSIONS and all(len(ups) == 1 for ups in per_cookie.values()), per_cookie
    used = {next(iter(ups)) for ups in per_cookie.values()}
    assert used == {deployment.upstream(s) for s in deployment.servers}, "the sessions were shared by both"
    print(f"\nthrough nginx: {SESSIONS} sessions × {SECONDS} s (wall {elapsed:.0f} s), {tally.actions} actions, "
          f"{len(tally.errors)} errors; rerun median {statistics.median(tally.latencies) * 1000:.0f} ms, "
          f"95th percentile {percentile(tally.latencies, 0.95) * 1000:.0f} ms; sessions per process: "
          + ", ".join(f"{sum(next(iter(u)) == deployment.upstream(s) for u in per_cookie.values())}"
                      for s in deployment.servers))


SECURITY_HEADERS = {"x-frame-options": "SAMEORIGIN", "x-content-type-options": "nosniff",
                    "referrer-policy": "same-origin"}


def test_every_answer_carries_the_security_headers(deployment):
    """Framing only by our own pages (a same-site page framed the signed-in Explorer and drove its downloads),
    no type sniffing, no address leaked to other sites, and HTTPS only from the first visit on."""
    for headers in ({}, {"Authorization": auth_header()}):  # the refusal too
        for path in ("/", "/_stcore/health", "/explorer"):
            _, response, _ = fetch(deployment.url + path, headers)
            for name, value in SECURITY_HEADERS.items():
                assert response.get(name) == value, (path, name, response)
            assert "frame-ancestors 'self'" in response.get("content-security-policy", ""), path
            assert re.fullmatch(r"max-age=\d{8,}(; includeSubDomains)?", response.get("strict-transport-security", ""))


def raw(url: str, headers: dict[str, str]) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, context=insecure(), timeout=30) as response:
        return _lower(response.headers), response.read()


def test_text_goes_out_compressed_to_a_browser_that_takes_it_and_arrives_whole(deployment):
    """A first visit is mostly Streamlit's scripts, which it sends uncompressed: nginx compresses them."""
    signed_in = {"Authorization": auth_header()}
    _, page = raw(deployment.url + "/", signed_in)
    script = re.search(rb'src="\./(static/js/index\.[\w$-]+\.js)"', page).group(1).decode()
    direct = urllib.request.urlopen(f"{deployment.servers[0].url}/{script}", timeout=30).read()
    headers, body = raw(f"{deployment.url}/{script}", {**signed_in, "Accept-Encoding": "gzip"})
    assert headers.get("content-encoding") == "gzip" and "accept-encoding" in headers.get("vary", "").lower()
    assert gzip.decompress(body) == direct, "the same script, whole"
    assert len(body) < 0.4 * len(direct), (len(body), len(direct))
    headers, body = raw(f"{deployment.url}/{script}", signed_in)  # a client that asks for no encoding
    assert "content-encoding" not in headers and body == direct
    headers, body = raw(deployment.url + "/", {**signed_in, "Accept-Encoding": "gzip"})
    assert headers.get("content-encoding") == "gzip" and b'<div id="root">' in gzip.decompress(body)


SLOW_CLIENTS = 1600  # the attack that took the old config down used 1,524
SLOW_ADDRESS = "127.0.0.2"  # another loopback address: one client, not the viewer's
TRICKLE_S = 4


async def slow_headers(url: str, until: float, opened: list[int], context: ssl.SSLContext) -> None:
    """One slow client: a request header sent a byte every TRICKLE_S seconds, never finished; reconnects
    whenever nginx closes it (as such an attack does)."""
    host, port = url.removeprefix("https://").split(":")
    while time.monotonic() < until:
        try:
            reader, writer = await asyncio.open_connection(host, int(port), ssl=context,
                                                           local_addr=(SLOW_ADDRESS, 0))
        except (OSError, ssl.SSLError):
            await asyncio.sleep(0.5)
            continue
        opened.append(1)
        try:
            writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            while time.monotonic() < until and not reader.at_eof():
                writer.write(b"X")
                await writer.drain()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(reader.read(1), TRICKLE_S)
        except (OSError, ssl.SSLError, ConnectionError):
            pass
        finally:
            writer.close()


def test_slow_header_clients_do_not_starve_a_signed_in_viewer(deployment):
    attack_s = 30
    answers: list[int | str] = []

    def viewer(until: float) -> None:
        while time.monotonic() < until:
            try:
                answers.append(fetch(deployment.url + "/_stcore/health", {"Authorization": auth_header()})[0])
            except OSError as err:
                answers.append(type(err).__name__)
            time.sleep(0.5)

    async def attack() -> int:
        until = time.monotonic() + attack_s
        opened: list[int] = []
        context = insecure()  # one for all: each takes ~20 ms to make
        clients = [asyncio.create_task(slow_headers(deployment.url, until, opened, context))
                   for _ in range(SLOW_CLIENTS)]
        await asyncio.sleep(8)  # the connections are open and trickling
        await asyncio.to_thread(viewer, until)
        await asyncio.gather(*clients, return_exceptions=True)
        return len(opened)

    opened = run_async(attack())
    assert len(answers) >= 20 and all(a == 200 for a in answers), answers
    assert opened >= SLOW_CLIENTS, "the attack opened all its connections"


def test_a_killed_process_moves_its_viewers_to_the_other_on_reload(deployment):
    osh = str(sum(r["oblast_code"] == "KG-O" for r in raw_initiatives()))

    async def view(viewer: ProxiedViewer) -> set[str]:
        viewer.tally = Tally()
        viewer.query_string = "oblast=KG-O"
        await viewer.connect()
        try:
            await viewer.rerun()
        finally:
            await viewer.ws.close()
        assert viewer.tally.errors == [], viewer.tally.errors
        return viewer.tally.initiatives_shown

    # Viewers until one lands on the first process: that one is stopped under it.
    doomed = deployment.upstream(deployment.servers[0])
    for seed in range(40):
        viewer = ProxiedViewer(deployment.url, Tally(), random.Random(seed))
        assert run_async(view(viewer)) == {osh}
        cookie = viewer.cookie.split("=", 1)[1]
        served = {up for c, up, _, uri in deployment.log() if c == cookie and uri == "/_stcore/stream"}
        if served == {doomed}:
            break
    else:
        pytest.fail("no viewer was sent to the first process")
    deployment.servers[0].process.kill()
    deployment.servers[0].process.wait(timeout=10)
    time.sleep(1)
    assert run_async(view(viewer)) == {osh}, "after a reload: the same view, the same numbers"
    time.sleep(1)
    after = [up for c, up, status, uri in deployment.log() if c == cookie and uri == "/_stcore/stream"]
    assert after[-1] == deployment.upstream(deployment.servers[1]), after
