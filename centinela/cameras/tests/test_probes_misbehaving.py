"""The probes against peers that misbehave, each a real socket on loopback written here: a closed port, a reset
after accept, a peer that accepts and never answers, garbage, HTTP where RTSP was expected, huge answers, SDP
without video, odd authentication. Every case is a failed outcome with its reason, never an exception, and a
silent peer costs only the timeout."""

import asyncio
import base64
import contextlib
import hashlib
import re
import socket
import struct
import time

from centinela.cameras.probes import (
    DeviceSpec,
    device_state,
    probe_device,
    probe_http_snapshot,
    probe_onvif,
    probe_rtsp,
    probe_tcp,
)

SDP_VIDEO = b"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=x\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
SDP_AUDIO = b"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=x\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"


def run(coro):
    return asyncio.run(coro)


def free_port() -> int:
    """A port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.asynccontextmanager
async def peer(handler):
    """A loopback TCP server running `handler(reader, writer)` per connection; yields its port."""
    tasks = set()

    async def wrapped(reader, writer):
        tasks.add(asyncio.current_task())
        try:
            await handler(reader, writer)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.transport.abort()

    server = await asyncio.start_server(wrapped, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        for task in tasks:
            task.cancel()


async def read_request(reader) -> tuple[str, dict]:
    head = (await reader.readuntil(b"\r\n\r\n")).decode()
    lines = head.split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    return lines[0], headers


def rtsp_reply(headers, status="200 OK", extra="", body=b""):
    head = f"RTSP/1.0 {status}\r\nCSeq: {headers.get('cseq', '0')}\r\n{extra}"
    if body:
        head += f"Content-Length: {len(body)}\r\n"
    return (head + "\r\n").encode() + body


def rtsp_server(describe):
    """An RTSP peer answering OPTIONS with 200 and DESCRIBE with describe(headers) -> bytes."""

    async def handler(reader, writer):
        while True:
            line, headers = await read_request(reader)
            if line.startswith("OPTIONS"):
                writer.write(rtsp_reply(headers, extra="Public: OPTIONS, DESCRIBE\r\n"))
            else:
                answer = describe(line, headers)
                if answer is None:
                    await asyncio.sleep(3600)
                writer.write(answer)
            await writer.drain()

    return handler


async def hang(reader, writer):
    await asyncio.sleep(3600)


async def reset(reader, writer):
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def close_silently(reader, writer):
    await reader.read(100)
    writer.close()


# ------------------------------------------------------------------------------------------------- RTSP


def test_a_closed_port_is_connection_refused_at_once():
    port = free_port()
    started = time.perf_counter()
    outcome = run(probe_rtsp(f"rtsp://127.0.0.1:{port}/cam", timeout=5))
    assert (outcome.ok, outcome.detail, outcome.latency_ms) == (False, "connection refused", None)
    assert outcome.code == "refused"
    assert time.perf_counter() - started < 2


def test_a_reset_after_accept_is_reported_as_reset():
    async def go():
        async with peer(reset) as port:
            return await probe_rtsp(f"rtsp://127.0.0.1:{port}/cam", timeout=3)

    outcome = run(go())
    assert not outcome.ok and outcome.detail == "reset"


def test_a_peer_closing_without_answer():
    async def go():
        async with peer(close_silently) as port:
            return await probe_rtsp(f"rtsp://127.0.0.1:{port}/cam", timeout=3)

    assert run(go()).detail == "connection closed without answer"


def test_a_peer_that_accepts_and_never_answers_costs_only_the_timeout():
    async def go():
        async with peer(hang) as port:
            started = time.perf_counter()
            outcomes = await asyncio.gather(
                probe_rtsp(f"rtsp://127.0.0.1:{port}/cam", timeout=1.0),
                probe_http_snapshot(f"http://127.0.0.1:{port}/snap.jpg", timeout=1.0),
                probe_onvif(f"http://127.0.0.1:{port}/onvif/device_service", "admin", "x", timeout=1.0),
            )
            return outcomes, time.perf_counter() - started

    outcomes, elapsed = run(go())
    assert [(o.ok, o.detail) for o in outcomes] == [(False, "timeout")] * 3
    assert 0.9 < elapsed < 2.5


def test_a_peer_that_stops_mid_body_times_out():
    def describe(line, headers):
        return rtsp_reply(headers, extra="Content-Type: application/sdp\r\nContent-Length: 500\r\n") + b"v=0\r\n"

    async def go():
        async with peer(rtsp_server(describe)) as port:
            started = time.perf_counter()
            outcome = await probe_rtsp(f"rtsp://127.0.0.1:{port}/cam", timeout=1.0)
            return outcome, time.perf_counter() - started

    outcome, elapsed = run(go())
    assert outcome.detail == "timeout" and elapsed < 2.5
    assert outcome.code == "timeout" and outcome.params["seconds"] > 0


def test_garbage_is_not_rtsp():
    async def garbage(reader, writer):
        await reader.read(100)
        writer.write(b"\x16\x03\x01\x02\x00garbage\xff\xfe\r\n\r\n")
        await writer.drain()
        await asyncio.sleep(5)

    async def go():
        async with peer(garbage) as port:
            return await probe_rtsp(f"rtsp://127.0.0.1:{port}/cam", timeout=2)

    outcome = run(go())
    assert not outcome.ok and outcome.detail == "not RTSP"


def test_endless_binary_without_newline_is_not_rtsp():
    async def flood(reader, writer):
        await reader.read(100)
        for _ in range(100):
            writer.write(b"\x00" * 4096)
            await writer.drain()
        await asyncio.sleep(5)

    async def go():
        async with peer(flood) as port:
            return await probe_rtsp(f"rtsp://127.0.0.1:{port}/cam", timeout=2)

    assert run(go()).detail == "not RTSP"


def test_endless_headers_are_refused():
    async def headers_forever(reader, writer):
        await reader.read(100)
        writer.write(b"RTSP/1.0 200 OK\r\nCSeq: 1\r\n")
        for i in range(2000):
            writer.write(f"X-Filler-{i}: {'a' * 50}\r\n".encode())
        await writer.drain()
        await asyncio.sleep(5)

    async def go():
        async with peer(headers_forever) as port:
            return await probe_rtsp(f"rtsp://127.0.0.1:{port}/cam", timeout=2)

    assert run(go()).detail == "header too long"


def test_an_http_server_is_not_rtsp():
    async def http(reader, writer):
        await reader.read(1000)
        writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()

    async def go():
        async with peer(http) as port:
            return await probe_rtsp(f"rtsp://127.0.0.1:{port}/cam", timeout=2)

    assert run(go()).detail == "not RTSP (HTTP answer)"


def test_a_huge_describe_answer_is_a_failure_without_reading_it():
    def describe(line, headers):
        return rtsp_reply(headers, extra="Content-Type: application/sdp\r\nContent-Length: 50000000\r\n") + b"v=0\r\n"

    async def go():
        async with peer(rtsp_server(describe)) as port:
            return await probe_rtsp(f"rtsp://127.0.0.1:{port}/cam", timeout=3)

    outcome = run(go())
    assert not outcome.ok and outcome.detail == "answer too large (50000000 bytes)"
    assert outcome.code == "too_large" and outcome.params["size"] == 50000000


def test_sdp_without_video_is_a_failure():
    def describe(line, headers):
        return rtsp_reply(headers, extra="Content-Type: application/sdp\r\n", body=SDP_AUDIO)

    async def go():
        async with peer(rtsp_server(describe)) as port:
            return await probe_rtsp(f"rtsp://127.0.0.1:{port}/cam", timeout=3)

    assert run(go()).detail == "no video in SDP"


def test_a_describe_answer_that_is_not_sdp():
    def describe(line, headers):
        return rtsp_reply(headers, extra="Content-Type: text/html\r\n", body=b"<html>login</html>")

    async def go():
        async with peer(rtsp_server(describe)) as port:
            return await probe_rtsp(f"rtsp://127.0.0.1:{port}/cam", timeout=3)

    assert run(go()).detail == "not SDP (text/html)"


def test_digest_sha256_with_qop_and_a_server_that_closes_after_401():
    """RFC 7616 SHA-256 with qop=auth, checked here independently; the peer closes after its 401, so the probe
    must reconnect to answer the challenge."""
    nonce, realm = "dcd98b7102dd2f0e8b11d0f600bfb0c093", "cam@loja"

    def sha(s):
        return hashlib.sha256(s.encode()).hexdigest()

    async def handler(reader, writer):
        while True:
            line, headers = await read_request(reader)
            method, uri = line.split()[:2]
            auth = headers.get("authorization", "")
            if method == "DESCRIBE":
                params = dict(re.findall(r'(\w+)="?([^",]*)"?', auth))
                ha1 = sha(f"admin:{realm}:pa:ss word")
                expected = sha(f"{ha1}:{nonce}:{params.get('nc')}:{params.get('cnonce')}:auth:{sha(f'{method}:{uri}')}")
                if not auth.startswith("Digest ") or params.get("response") != expected or params.get("uri") != uri:
                    writer.write(
                        rtsp_reply(
                            headers,
                            "401 Unauthorized",
                            "Connection: close\r\nWWW-Authenticate: "
                            f'Digest realm="{realm}", qop="auth", algorithm=SHA-256, nonce="{nonce}", '
                            'opaque="xyz"\r\nWWW-Authenticate: Basic realm="x"\r\n',
                        )
                    )
                    await writer.drain()
                    return
                writer.write(rtsp_reply(headers, extra="Content-Type: application/sdp\r\n", body=SDP_VIDEO))
            else:
                writer.write(rtsp_reply(headers))
            await writer.drain()

    async def go(password):
        async with peer(handler) as port:
            return await probe_rtsp(f"rtsp://127.0.0.1:{port}/cam/1?channel=1", "admin", password, timeout=3)

    good = run(go("pa:ss word"))
    assert good.ok, good
    assert good.detail == "DESCRIBE ok, video H264/90000, digest auth"
    assert run(go("wrong")).detail == "401 unauthorized"


def test_an_unsupported_auth_scheme():
    def describe(line, headers):
        return rtsp_reply(headers, "401 Unauthorized", 'WWW-Authenticate: Bearer realm="x"\r\n')

    async def go():
        async with peer(rtsp_server(describe)) as port:
            return await probe_rtsp(f"rtsp://127.0.0.1:{port}/cam", "admin", "x", timeout=3)

    assert run(go()).detail == "401 unauthorized (unsupported auth)"


def test_malformed_urls_are_failures():
    for url in (
        "",
        "rtsp://",
        "http://127.0.0.1/cam",
        "rtsp://127.0.0.1:99999/cam",
        "not a url",
        "rtsp://127.0.0.1/cam 1 RTSP/1.0\r\nX: y",
    ):
        outcome = run(probe_rtsp(url, timeout=1))
        assert (outcome.ok, outcome.detail) == (False, "malformed URL"), url


# ------------------------------------------------------------------------------------------------- HTTP


def http_server(status="200 OK", ctype="image/jpeg", body=b"", extra="", declared=None):
    async def handler(reader, writer):
        await read_request(reader)
        length = len(body) if declared is None else declared
        head = f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nConnection: close\r\n{extra}"
        if length is not False:
            head += f"Content-Length: {length}\r\n"
        writer.write((head + "\r\n").encode() + body)
        await writer.drain()

    return handler


JPEG_LIKE = b"\xff\xd8\xff\xe0" + b"\x10" * 3000 + b"\xff\xd9"


def snapshot_via(handler, **kwargs):
    async def go():
        async with peer(handler) as port:
            return await probe_http_snapshot(f"http://127.0.0.1:{port}/snap.jpg", timeout=3, **kwargs)

    return run(go())


def test_snapshot_failures_say_why():
    cases = [
        (http_server("404 Not Found", "text/plain", b"no"), "HTTP 404 not found"),
        (http_server(ctype="text/html", body=b"<html>login</html>" * 100), "not JPEG (content-type text/html)"),
        (http_server(body=b"GIF89a" + b"\x00" * 3000), "not JPEG (no SOI marker)"),
        (http_server(body=JPEG_LIKE[:-2]), "truncated JPEG (no EOI marker)"),
        (http_server(body=b"\xff\xd8\xff\xd9"), "too small (4 bytes)"),
        (http_server(body=b"", declared=10_000_000_000), "answer too large (10000000000 bytes)"),
    ]
    for handler, reason in cases:
        outcome = snapshot_via(handler)
        assert (outcome.ok, outcome.detail) == (False, reason)


def test_a_huge_snapshot_without_length_is_cut_at_the_cap():
    async def stream(reader, writer):
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nConnection: close\r\n\r\n\xff\xd8")
        for _ in range(200):
            writer.write(b"\x00" * 65536)
            await writer.drain()

    outcome = snapshot_via(stream, max_bytes=1_000_000)
    assert (outcome.ok, outcome.detail) == (False, "answer too large")


def test_a_chunked_jpeg_is_read():
    async def chunked(reader, writer):
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n")
        for i in range(0, len(JPEG_LIKE), 1000):
            part = JPEG_LIKE[i : i + 1000]
            writer.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        writer.write(b"0\r\n\r\n")
        await writer.drain()
        await asyncio.sleep(5)  # keeps the connection open: the probe must stop at the last chunk

    outcome = snapshot_via(chunked)
    assert outcome.ok and outcome.detail.startswith("JPEG")


def test_an_rtsp_answer_is_not_http():
    async def rtsp(reader, writer):
        await reader.read(1000)
        writer.write(b"RTSP/1.0 400 Bad Request\r\nCSeq: 0\r\n\r\n")
        await writer.drain()

    assert snapshot_via(rtsp).detail == "not HTTP (RTSP answer)"


def test_a_snapshot_reset_and_refused():
    assert snapshot_via(reset).detail == "reset"
    port = free_port()
    assert run(probe_http_snapshot(f"http://127.0.0.1:{port}/x.jpg", timeout=2)).detail == "connection refused"


# ------------------------------------------------------------------------------------------------- TCP and devices


def test_tcp_probe_open_refused_and_silent():
    async def go():
        async with peer(hang) as port:
            return await probe_tcp("127.0.0.1", port, timeout=1)

    assert run(go()).ok  # a listening port is all TCP asks
    assert run(probe_tcp("127.0.0.1", free_port(), timeout=1)).detail == "connection refused"
    assert run(probe_tcp("", None)).detail == "no host or port"


def test_a_device_whose_stream_hangs_is_down_within_the_timeout_even_with_its_port_open():
    async def go():
        async with peer(hang) as port:
            spec = DeviceSpec(stream_url=f"rtsp://127.0.0.1:{port}/cam", username="u", password="p")
            started = time.perf_counter()
            outcomes = await probe_device(spec, timeout=1.0, tcp_timeout=1.0)
            return outcomes, time.perf_counter() - started

    outcomes, elapsed = run(go())
    assert elapsed < 2.5
    assert [(o.kind, o.ok) for o in outcomes] == [("rtsp", False), ("tcp", True)]
    assert device_state(outcomes) == ("down", "RTSP: timeout (port open)")


def test_a_device_with_a_working_snapshot_but_broken_stream_is_degraded():
    async def go():
        async with peer(http_server(body=JPEG_LIKE)) as http_port:
            spec = DeviceSpec(
                stream_url=f"rtsp://127.0.0.1:{free_port()}/cam", snapshot_url=f"http://127.0.0.1:{http_port}/snap.jpg"
            )
            return await probe_device(spec, timeout=2)

    outcomes = run(go())
    state, detail = device_state(outcomes)
    assert state == "degraded"
    assert detail.startswith("RTSP: connection refused; HTTP works: JPEG")


def test_a_device_with_nothing_to_probe():
    outcomes = run(probe_device(DeviceSpec()))
    assert device_state(outcomes)[0] == "down"
    assert outcomes[0].detail == "nothing to probe (no URL, host or port)"


def test_tcp_only_devices_use_tcp():
    async def go():
        async with peer(hang) as port:
            return await probe_device(DeviceSpec(host="127.0.0.1", port=port))

    outcomes = run(go())
    assert [o.kind for o in outcomes] == ["tcp"]
    assert device_state(outcomes)[0] == "up"
    assert device_state(run(probe_device(DeviceSpec(host="127.0.0.1", port=free_port()))))[0] == "down"


def test_basic_credentials_are_sent_to_a_snapshot():
    expected = "Basic " + base64.b64encode(b"admin:clave").decode()

    async def handler(reader, writer):
        _, headers = await read_request(reader)
        if headers.get("authorization") != expected:
            writer.write(
                b'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="cam"\r\nContent-Length: 0\r\n\r\n'
            )
        else:
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n"
                + f"Content-Length: {len(JPEG_LIKE)}\r\n\r\n".encode()
                + JPEG_LIKE
            )
        await writer.drain()
        writer.close()

    assert snapshot_via(handler, username="admin", password="clave").ok
    assert snapshot_via(handler, username="admin", password="otra").detail == "401 unauthorized"


def test_an_rtsp_server_that_closes_after_each_answer_without_saying_so():
    async def one_answer_per_connection(reader, writer):
        line, headers = await read_request(reader)
        if line.startswith("OPTIONS"):
            writer.write(rtsp_reply(headers, extra="Public: OPTIONS, DESCRIBE\r\n"))
        else:
            writer.write(rtsp_reply(headers, extra="Content-Type: application/sdp\r\n", body=SDP_VIDEO))
        await writer.drain()
        writer.close()

    async def go():
        async with peer(one_answer_per_connection) as port:
            return await probe_rtsp(f"rtsp://127.0.0.1:{port}/cam", timeout=3)

    outcome = run(go())
    assert outcome.ok, outcome
