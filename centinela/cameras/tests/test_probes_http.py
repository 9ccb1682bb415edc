"""HTTP snapshot probe against real peers: Python's own http.server serving a real JPEG (no auth and basic auth)
and the project's simulator (no auth, basic, digest), held to the same assertions."""

import asyncio
import base64
import io
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from centinela.cameras.probes import DeviceSpec, device_state, probe_device, probe_http_snapshot
from centinela.cameras.simulator import Simulator

USER, PASSWORD = "operador", "Cl@ve Loja"


def real_jpeg() -> bytes:
    buf = io.BytesIO()
    Image.linear_gradient("L").resize((640, 480)).convert("RGB").save(buf, "JPEG", quality=85)
    return buf.getvalue()


@dataclass
class Peer:
    name: str
    auth: str
    url: str
    missing_url: str


def stdlib_server(auth: str):
    jpeg = real_jpeg()
    expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            if auth == "basic" and self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="camara"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.path != "/ISAPI/Streaming/channels/101/picture":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(jpeg)))
            self.end_headers()
            self.wfile.write(jpeg)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(
    scope="module",
    params=[
        ("http.server", "none"),
        ("http.server", "basic"),
        ("simulator", "none"),
        ("simulator", "basic"),
        ("simulator", "digest"),
    ],
    ids=lambda p: "-".join(p),
)
def peer(request):
    name, auth = request.param
    if name == "http.server":
        server = stdlib_server(auth)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        yield Peer(name, auth, base + "/ISAPI/Streaming/channels/101/picture", base + "/nothing.jpg")
        server.shutdown()
        server.server_close()
    else:
        sim = Simulator(cameras=2, auth=None if auth == "none" else auth, username=USER, password=PASSWORD)
        sim.start_in_thread()
        yield Peer(name, auth, sim.snapshot_url(1), f"http://127.0.0.1:{sim.port}/cam/7/snapshot.jpg")
        sim.stop_thread()


def run(coro):
    return asyncio.run(coro)


def test_a_real_jpeg_passes(peer):
    outcome = run(probe_http_snapshot(peer.url, USER, PASSWORD, timeout=5))
    assert outcome.ok, outcome
    assert outcome.kind == "http"
    assert outcome.detail.startswith("JPEG ") and "x" in outcome.detail.split(",")[0]
    assert outcome.latency_ms > 0


def test_wrong_or_missing_credentials(peer):
    wrong = run(probe_http_snapshot(peer.url, USER, "nope", timeout=5))
    none = run(probe_http_snapshot(peer.url, timeout=5))
    if peer.auth == "none":
        assert wrong.ok and none.ok
    else:
        assert (wrong.ok, wrong.detail) == (False, "401 unauthorized")
        assert (none.ok, none.detail) == (False, "401 unauthorized (no credentials)")


def test_a_missing_snapshot_is_404(peer):
    outcome = run(probe_http_snapshot(peer.missing_url, USER, PASSWORD, timeout=5))
    assert not outcome.ok
    assert outcome.detail in ("HTTP 404 not found", "401 unauthorized")


def test_an_implausibly_small_or_large_snapshot_fails(peer):
    big = run(probe_http_snapshot(peer.url, USER, PASSWORD, timeout=5, min_bytes=10_000_000, max_bytes=20_000_000))
    assert not big.ok and big.detail.startswith("too small")
    small_cap = run(probe_http_snapshot(peer.url, USER, PASSWORD, timeout=5, min_bytes=10, max_bytes=100))
    assert not small_cap.ok and small_cap.detail.startswith("answer too large")


def test_a_snapshot_only_device_is_up(peer):
    outcomes = run(probe_device(DeviceSpec(snapshot_url=peer.url, username=USER, password=PASSWORD)))
    assert [o.kind for o in outcomes] == ["http", "tcp"]
    assert device_state(outcomes)[0] == "up"
