"""The camera simulator: its failure schedule, its control endpoint, one port per camera, the management command,
and a large network on one port (the benchmark's shape)."""

import asyncio
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from PIL import Image

from centinela.cameras.probes import (
    DeviceSpec,
    device_state,
    probe_device,
    probe_http_snapshot,
    probe_many,
    probe_rtsp,
    probe_tcp,
)
from centinela.cameras.simulator import DOWN, HANG, OK, Simulator, parse_indices, snapshot_jpeg, start_simulator

ROOT = Path(__file__).resolve().parents[3]


def run(coro):
    return asyncio.run(coro)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_schedule_decides_each_cameras_mode():
    now = [3600 * 1000.0]  # the top of an hour
    sim = Simulator(
        cameras=10, failing={3}, hang={4}, cycles={5: (120, 30)}, down_minutes={6: {0, 1, 2, 30}}, clock=lambda: now[0]
    )
    assert [sim.mode(i) for i in range(7)] == [OK, OK, OK, DOWN, HANG, DOWN, DOWN]
    now[0] += 31  # second 31 of the hour: the cycle is over, still minute 0
    assert (sim.mode(5), sim.mode(6)) == (OK, DOWN)
    now[0] += 60 * 5  # minute 5
    assert sim.mode(6) == OK
    now[0] = 3600 * 1000.0 + 30 * 60 + 5  # minute 30, second 5 of a 120 s cycle
    assert (sim.mode(5), sim.mode(6)) == (DOWN, DOWN)
    sim.set_mode(6, OK)  # forcing wins over the schedule
    sim.set_mode(0, HANG)
    assert (sim.mode(6), sim.mode(0)) == (OK, HANG)
    sim.set_mode(6, "auto")
    assert sim.mode(6) == DOWN
    with pytest.raises(ValueError):
        sim.set_mode(1, "broken")


def test_only_loopback_is_allowed():
    with pytest.raises(ValueError):
        Simulator(host="0.0.0.0")
    with pytest.raises(ValueError):
        Simulator(host="192.168.1.10")


def test_parse_indices():
    assert parse_indices("3,7, 10-12") == {3, 7, 10, 11, 12}
    assert parse_indices("") == set()


def test_the_snapshot_is_a_real_jpeg():
    data = snapshot_jpeg()
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (320, 240)
    assert 1000 < len(data) < 100_000


def test_down_and_hanging_cameras_on_the_shared_port():
    async def go():
        sim = await start_simulator(cameras=5, failing={1}, hang={2})
        try:
            return [
                await probe_device(
                    DeviceSpec(stream_url=sim.stream_url(k), snapshot_url=sim.snapshot_url(k)), timeout=1.0
                )
                for k in range(3)
            ]
        finally:
            await sim.stop()

    ok, down, hung = run(go())
    assert device_state(ok)[0] == "up"
    assert [(o.kind, o.ok, o.detail) for o in down] == [
        ("rtsp", False, "reset"),
        ("http", False, "reset"),
        ("tcp", True, "TCP " + down[2].detail.split()[1] + " open"),
    ]
    assert device_state(down) == ("down", "RTSP: reset (port open)")
    assert [o.detail for o in hung[:2]] == ["timeout", "timeout"]


def test_a_camera_with_its_own_port_refuses_while_down_and_comes_back():
    sim = Simulator(cameras=3, port_per_camera=True, failing={1}).start_in_thread()
    try:
        assert len(set(sim.ports)) == 4
        host, port = sim.host, sim.camera_ports[1]
        assert run(probe_tcp(host, port, timeout=1)).detail == "connection refused"
        assert run(probe_rtsp(sim.stream_url(0), timeout=2)).ok
        # the control endpoint forces it back up; the listener reopens on the same port within a tick
        with urllib.request.urlopen(f"http://{host}:{sim.port}/_sim/mode?cam=1&mode=ok", timeout=5) as answer:
            assert answer.status == 200
        deadline = time.monotonic() + 3
        while not run(probe_tcp(host, port, timeout=1)).ok and time.monotonic() < deadline:
            time.sleep(0.05)
        assert run(probe_rtsp(sim.stream_url(1), timeout=2)).ok
        assert sim.stream_url(1) == f"rtsp://127.0.0.1:{port}/cam/1"
        # a camera's own port serves only that camera
        assert run(probe_rtsp(f"rtsp://127.0.0.1:{port}/cam/0", timeout=2)).detail == "404 not found"
        with urllib.request.urlopen(f"http://{host}:{sim.port}/_sim/status", timeout=5) as answer:
            assert json.load(answer)["modes"] == {"0": "ok", "1": "ok", "2": "ok"}
    finally:
        sim.stop_thread()


def test_digest_with_a_forged_nonce_is_refused():
    sim = Simulator(cameras=1, auth="digest", password="pw").start_in_thread()
    try:
        with socket.create_connection((sim.host, sim.port), timeout=5) as s:
            s.sendall(
                b'DESCRIBE rtsp://127.0.0.1/cam/0 RTSP/1.0\r\nCSeq: 1\r\nAuthorization: Digest username="admin", '
                b'realm="Centinela camera simulator", nonce="0123456789abcdef0123", uri="rtsp://127.0.0.1/cam/0", '
                b'response="00000000000000000000000000000000"\r\n\r\n'
            )
            assert s.recv(4096).startswith(b"RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\n")
        assert run(probe_http_snapshot(sim.snapshot_url(0), "admin", "pw", timeout=2)).ok
    finally:
        sim.stop_thread()


def test_thousands_of_cameras_on_one_port():
    """The benchmark's shape: 5,000 cameras on one port, 1,000 of them probed 200 at a time."""

    async def go():
        sim = await start_simulator(cameras=5000, failing=set(range(0, 5000, 100)), auth="digest", password="pw")
        try:
            specs = [
                DeviceSpec(stream_url=sim.stream_url(k), username="admin", password="pw") for k in range(0, 5000, 5)
            ]
            # a timeout generous enough that a loaded machine (the two databases' suites side by side) does not turn
            # a slow answer into "down"; how fast a round is, is bench/cameras_bench.py's business, not a test's
            return await probe_many(specs, concurrency=200, timeout=30)
        finally:
            await sim.stop()

    results = run(go())
    states = [device_state(outcomes)[0] for outcomes in results]
    assert states.count("down") == 50  # every 100th camera, probed every 5th
    assert states.count("up") == 950


def test_the_full_device_profile_of_the_benchmark_on_one_port():
    """bench/cameras_bench.py's "full" profile: digest RTSP (DESCRIBE answered 401, then the digest), digest HTTP
    snapshot (401, then a JPEG) and ONVIF with a WS-Security token, every camera on one port: 7 answered requests
    per device; a resetting and a hanging camera fail every probe that needs an answer."""

    async def go():
        sim = await start_simulator(cameras=202, auth="digest", username="admin", password="pw")
        sim.set_mode(200, DOWN)
        sim.set_mode(201, HANG)
        try:
            specs = [
                DeviceSpec(
                    stream_url=sim.stream_url(k),
                    snapshot_url=sim.snapshot_url(k),
                    onvif_url=sim.onvif_url(k),
                    username="admin",
                    password="pw",
                )
                for k in range(202)
            ]
            good = await probe_many(specs[:200], concurrency=200, timeout=10)
            answered = sim.requests
            bad = await probe_many(specs[200:], concurrency=2, timeout=1)
            wrong = await probe_device(
                DeviceSpec(
                    stream_url=sim.stream_url(0),
                    snapshot_url=sim.snapshot_url(0),
                    onvif_url=sim.onvif_url(0),
                    username="admin",
                    password="nope",
                ),
                timeout=5,
            )
            return good, answered, bad, wrong
        finally:
            await sim.stop()

    good, answered, bad, wrong = run(go())
    assert all([o.ok for o in outcomes] == [True] * 4 for outcomes in good)
    rtsp, http, onvif, _tcp = good[0]
    assert rtsp.detail == "DESCRIBE ok, video JPEG/90000, digest auth"
    assert http.detail.startswith("JPEG 320x240") and onvif.detail.startswith("ONVIF Centinela SimCam-1")
    assert answered == 7 * 200  # OPTIONS, DESCRIBE 401, DESCRIBE; GET 401, GET; two SOAP calls
    assert [[o.detail for o in outcomes[:3]] for outcomes in bad] == [["reset"] * 3, ["timeout"] * 3]
    assert [device_state(outcomes)[0] for outcomes in bad] == ["down", "down"]
    assert [o.ok for o in wrong] == [False, False, False, True]


def test_the_management_command_runs_until_interrupted():
    port = free_port()
    env = dict(os.environ, CENTINELA_TESTING="1")
    proc = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "camera_simulator",
            "--cameras",
            "12",
            "--base-port",
            str(port),
            "--failing",
            "3,7",
            "--hang",
            "9",
            "--cycle",
            "5=3600/3600",
            "--auth",
            "digest",
            "--password",
            "pw",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = proc.stdout.readline()
        assert first.startswith(f"12 simulated cameras on 127.0.0.1:{port}"), first + proc.stderr.read()

        async def go():
            url = f"rtsp://127.0.0.1:{port}/cam/"
            return await asyncio.gather(*(probe_rtsp(f"{url}{k}", "admin", "pw", timeout=1) for k in (0, 3, 5, 9)))

        assert [o.detail for o in run(go())] == [
            "DESCRIBE ok, video JPEG/90000, digest auth",
            "reset",
            "reset",
            "timeout",
        ]
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert "stopped after" in out
