"""RTSP probe against real peers: GStreamer's RTSP server (Debian) and the project's simulator, held to the same
assertions (so the simulator cannot drift from a real server), without, with basic and with digest auth."""

import asyncio
import os
import time
from dataclasses import dataclass

import pytest

from centinela.cameras.probes import DeviceSpec, device_state, probe_device, probe_rtsp
from centinela.cameras.simulator import Simulator
from centinela.cameras.tests.gst_rtsp_server import gst_rtsp_server, unavailable_reason

USER, PASSWORD = "admin", "s3cr3to-Loja"
AUTHS = ["none", "basic", "digest"]


@dataclass
class Peer:
    name: str
    auth: str
    url: str  # a stream that exists
    missing_url: str  # a path the server does not serve


def require_gstreamer():
    reason = unavailable_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs GStreamer's RTSP server: {reason}")
        pytest.skip(reason)


@pytest.fixture(
    scope="module",
    params=[(name, auth) for name in ("gstreamer", "simulator") for auth in AUTHS],
    ids=lambda p: f"{p[0]}-{p[1]}",
)
def peer(request):
    """Each real server, once per module, on a free loopback port."""
    name, auth = request.param
    if name == "gstreamer":
        require_gstreamer()
        with gst_rtsp_server(auth=auth, user=USER, password=PASSWORD, path="/test") as port:
            yield Peer(name, auth, f"rtsp://127.0.0.1:{port}/test", f"rtsp://127.0.0.1:{port}/nothing")
    else:
        sim = Simulator(
            cameras=3, auth=None if auth == "none" else auth, username=USER, password=PASSWORD
        ).start_in_thread()
        yield Peer(name, auth, sim.stream_url(1), f"rtsp://127.0.0.1:{sim.port}/nothing")
        sim.stop_thread()


def run(coro):
    return asyncio.run(coro)


def test_describe_with_the_right_credentials_finds_the_video_stream(peer):
    outcome = run(probe_rtsp(peer.url, USER, PASSWORD, timeout=5))
    assert outcome.ok, outcome
    assert outcome.kind == "rtsp"
    assert "video JPEG/90000" in outcome.detail
    assert 0 < outcome.latency_ms < 5000
    if peer.auth != "none":
        assert f"{peer.auth} auth" in outcome.detail


def test_credentials_in_the_url_are_never_used(peer):
    url = peer.url.replace("rtsp://", f"rtsp://{USER}:{PASSWORD}@")
    assert run(probe_rtsp(url, timeout=5)).ok == (peer.auth == "none")  # only the device's own fields count


def test_a_wrong_password_is_401(peer):
    outcome = run(probe_rtsp(peer.url, USER, "wrong", timeout=5))
    if peer.auth == "none":
        assert outcome.ok  # an open stream ignores credentials
    else:
        assert not outcome.ok and outcome.detail == "401 unauthorized"
        assert (outcome.code, outcome.params) == ("unauthorized", {})  # what programs read
        assert outcome.latency_ms is None


def test_no_credentials_on_a_protected_stream_is_401(peer):
    outcome = run(probe_rtsp(peer.url, timeout=5))
    assert outcome.ok == (peer.auth == "none")
    if peer.auth != "none":
        assert outcome.detail == "401 unauthorized (no credentials)"
        assert outcome.code == "unauthorized_no_credentials"


def test_an_unknown_path_is_404(peer):
    outcome = run(probe_rtsp(peer.missing_url, USER, PASSWORD, timeout=5))
    assert not outcome.ok
    assert outcome.detail.startswith("404")


def test_probe_device_says_up_with_tcp_as_floor(peer):
    spec = DeviceSpec(stream_url=peer.url, username=USER, password=PASSWORD)
    outcomes = run(probe_device(spec))
    assert [o.kind for o in outcomes] == ["rtsp", "tcp"]
    assert all(o.ok for o in outcomes)
    state, detail = device_state(outcomes)
    assert state == "up" and "video" in detail


def test_wrong_credentials_make_the_device_down_even_with_the_port_open(peer):
    outcomes = run(probe_device(DeviceSpec(stream_url=peer.url, username=USER, password="nope")))
    state, detail = device_state(outcomes)
    if peer.auth == "none":
        assert state == "up"  # an open stream has no credentials to get wrong
    else:
        assert (state, detail) == ("down", "RTSP: 401 unauthorized (port open)")


def test_many_concurrent_probes_all_succeed(peer):
    async def many():
        return await asyncio.gather(*(probe_rtsp(peer.url, USER, PASSWORD, timeout=10) for _ in range(30)))

    started = time.perf_counter()
    outcomes = run(many())
    assert all(o.ok for o in outcomes), [o.detail for o in outcomes if not o.ok][:3]
    assert time.perf_counter() - started < 10
