"""A real RTSP responder on loopback for the monitor's tests and benchmark (no mocked sockets): one port serves
many cameras by path (rtsp://127.0.0.1:PORT/cam/<code>), each in a mode that can change while it runs:
"ok" (OPTIONS + DESCRIBE with a video SDP), "hang" (accepts and never answers), "garbage" (not RTSP), "close"
(closes at once). Stopping the responder makes its port refuse. The tests here check the peer itself against the
probe code, so the monitor's tests stand on a peer that behaves like a camera."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter

import pytest

SDP = (
    "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=Centinela test camera\r\nt=0 0\r\n"
    "m=video 0 RTP/AVP 26\r\na=rtpmap:26 JPEG/90000\r\na=control:stream=0\r\n"
)


class LoopbackCameras:
    def __init__(self, default_mode: str = "ok"):
        self.modes: dict[str, str] = {}
        self.default_mode = default_mode
        self.requests: Counter = Counter()  # DESCRIBE (or first request) per camera code
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server = None
        self._thread: threading.Thread | None = None
        self._hung: list = []

    def url(self, code: str) -> str:
        return f"rtsp://127.0.0.1:{self.port}/cam/{code}"

    def set(self, code: str, mode: str) -> None:
        self.modes[code] = mode

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, uri = (lines[0].split(" ") + ["", ""])[:2]
                code = uri.rstrip("/").rsplit("/", 1)[-1]
                cseq = next((line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("cseq:")), "0")
                mode = self.modes.get(code, self.default_mode)
                if method != "OPTIONS" or mode != "ok":
                    self.requests[code] += 1
                if mode == "hang":
                    self._hung.append(writer)
                    await asyncio.sleep(3600)
                    return
                if mode == "close":
                    return
                if mode == "garbage":
                    writer.write(b"HELLO I AM NOT A CAMERA\r\n\r\n")
                    await writer.drain()
                    return
                if method == "DESCRIBE":
                    body = SDP.encode()
                    writer.write(
                        (
                            f"RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nContent-Type: application/sdp\r\n"
                            f"Content-Length: {len(body)}\r\n\r\n"
                        ).encode()
                        + body
                    )
                else:
                    writer.write(f"RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nPublic: OPTIONS, DESCRIBE\r\n\r\n".encode())
                await writer.drain()
        finally:
            writer.close()

    def start(self) -> LoopbackCameras:
        ready = threading.Event()

        def main():
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            self._server = self._loop.run_until_complete(
                asyncio.start_server(self._handle, "127.0.0.1", self.port, backlog=4096)
            )
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            self._loop.run_forever()
            self._server.close()
            self._loop.run_until_complete(self._server.wait_closed())
            for task in asyncio.all_tasks(self._loop):
                task.cancel()
            self._loop.run_until_complete(asyncio.sleep(0))
            self._loop.close()

        self._thread = threading.Thread(target=main, daemon=True, name="loopback-cameras")
        self._thread.start()
        ready.wait(5)
        return self

    def stop(self) -> None:
        """Close the port: from now on connections are refused (a camera that died)."""
        if self._loop is not None and self._thread is not None:

            def close():
                self._server.close()
                for w in self._hung:
                    w.close()
                self._loop.stop()

            self._loop.call_soon_threadsafe(close)
            self._thread.join(5)
            self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


@pytest.fixture
def cameras():
    with LoopbackCameras() as peer:
        yield peer


def _probe(url, timeout=1.0):
    from centinela.cameras.monitor import default_probe, verdict
    from centinela.cameras.probes import DeviceSpec as Spec

    outcomes = asyncio.run(asyncio.wait_for(default_probe(timeout)(Spec(stream_url=url)), timeout + 1))
    state, detail = verdict(outcomes)
    return state != "down", detail


def test_peer_answers_like_a_camera(cameras):
    up, detail = _probe(cameras.url("A1"))
    assert up, detail


@pytest.mark.parametrize("mode", ["hang", "garbage", "close"])
def test_peer_failure_modes_are_failures(cameras, mode):
    cameras.set("B1", mode)
    up, detail = _probe(cameras.url("B1"))
    assert not up and detail


def test_stopped_peer_refuses():
    peer = LoopbackCameras().start()
    url = peer.url("C1")
    peer.stop()
    up, detail = _probe(url)
    assert not up and detail
