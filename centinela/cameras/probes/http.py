"""The HTTP snapshot probe (`probe_http_snapshot`: a real JPEG, its size read by `_jpeg_size`) and the HTTP/1.1
exchange answering one 401 challenge (`http_request`) that ONVIF's SOAP calls also go through."""

from __future__ import annotations

from centinela.cameras.probes.auth import Authenticator
from centinela.cameras.probes.outcome import HTTP, ProbeFailure, ProbeOutcome, run_probe
from centinela.cameras.probes.wire import (
    MAX_RTSP_BODY,
    USER_AGENT,
    Response,
    Target,
    close_quietly,
    connect_within_policy,
    read_body,
    read_head,
)


async def http_request(
    target: Target,
    method: str,
    auth: Authenticator,
    *,
    headers: str = "",
    payload: bytes = b"",
    limit: int,
    policy=None,
) -> Response:
    """An HTTP/1.1 exchange answering one 401 challenge. The first request keeps the connection open when
    credentials could answer a challenge (the retry reuses it if the server allows); the last one asks the
    server to close, so a body without a length ends at the close."""
    conn: list = [None, None]  # reader, writer

    async def send(keep_open: bool) -> Response:
        reader, writer = conn
        head = (
            f"{method} {target.path} HTTP/1.1\r\nHost: {target.netloc}\r\nUser-Agent: {USER_AGENT}\r\n"
            f"Connection: {'keep-alive' if keep_open else 'close'}\r\n{headers}"
        )
        authorization = auth.header(method, target.path)
        if authorization:
            head += f"Authorization: {authorization}\r\n"
        if payload or method == "POST":
            head += f"Content-Length: {len(payload)}\r\n"
        writer.write((head + "\r\n").encode("latin-1") + payload)
        await writer.drain()
        return await read_head(reader, "HTTP")

    async def once(keep_open: bool) -> Response:
        reused = conn[1] is not None and not conn[1].is_closing() and not conn[0].at_eof()
        if not reused:
            close_quietly(conn[1])
            conn[:] = await connect_within_policy(target.host, target.port, target.tls, policy)
        try:
            response = await send(keep_open)
        except (ProbeFailure, ConnectionResetError, BrokenPipeError) as exc:
            # a server may close an idle kept-alive connection at any moment: then ask again on a new one
            if not reused or (isinstance(exc, ProbeFailure) and exc.code != "closed_no_answer"):
                raise
            close_quietly(conn[1])
            conn[:] = await connect_within_policy(target.host, target.port, target.tls, policy)
            response = await send(keep_open)
        reader, writer = conn
        if response.status == 401:
            delimited = response.header("content-length") or "chunked" in response.header("transfer-encoding").lower()
            if keep_open and delimited and not response.closes:
                await read_body(reader, response, MAX_RTSP_BODY, until_eof=False)  # drained: the connection is reusable
            else:
                close_quietly(writer)
                conn[:] = [None, None]
            return response
        response.body = await read_body(reader, response, limit, until_eof=True)
        return response

    try:
        response = await once(keep_open=auth.has_credentials)
        if response.status == 401:
            if not auth.challenge(response):
                raise ProbeFailure(
                    "unauthorized_no_credentials" if not auth.has_credentials else "unauthorized_unsupported"
                )
            response = await once(keep_open=False)
            if response.status == 401:
                raise ProbeFailure("unauthorized")
        return response
    finally:
        close_quietly(conn[1])


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the first SOF marker, or None."""
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:
            i += 1
            continue
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return int.from_bytes(data[i + 7 : i + 9], "big"), int.from_bytes(data[i + 5 : i + 7], "big")
        i += 2 + length
    return None


async def probe_http_snapshot(
    url: str,
    username: str | None = None,
    password: str | None = None,
    timeout: float = 5.0,
    min_bytes: int = 1000,
    max_bytes: int = 5_000_000,
    *,
    policy=None,
    auth_scheme: str = "",
) -> ProbeOutcome:
    """HTTP GET of a snapshot; ok when it is 200, image/jpeg, starts FF D8, ends FF D9 and has a plausible size.
    A redirect (3xx) is a failure: it is never followed, so the credentials never go to another host."""

    async def body():
        target = Target(url, ("http", "https"))
        auth = Authenticator(username, password, auth_scheme)  # never a user:pass@ written in the URL
        response = await http_request(
            target, "GET", auth, headers="Accept: image/jpeg\r\n", limit=max_bytes, policy=policy
        )
        if response.status != 200:
            raise ProbeFailure("http_status", status=response.status, reason=response.reason.lower()[:80])
        ctype = response.header("content-type").split(";")[0].strip().lower()
        if ctype not in ("image/jpeg", "image/jpg"):
            raise ProbeFailure("not_jpeg_type", ctype=ctype[:40] or "missing")
        data = response.body
        if len(data) < min_bytes:
            raise ProbeFailure("too_small", size=len(data), minimum=min_bytes)
        if not data.startswith(b"\xff\xd8"):
            raise ProbeFailure("not_jpeg")
        if not data.rstrip(b"\x00\r\n ").endswith(b"\xff\xd9"):
            raise ProbeFailure("truncated_jpeg")
        size = _jpeg_size(data)
        return "jpeg_ok", {
            "width": size[0] if size else None,
            "height": size[1] if size else None,
            "kb": len(data) / 1024,
            "auth": auth.scheme or "",
        }

    return await run_probe(HTTP, timeout, body)
