"""The wire under the RTSP and HTTP probes: `Response` and reading its head and body within limits
(`MAX_HEADER_BYTES`, `MAX_HEADER_LINES`, `MAX_RTSP_BODY`), `Target` (a checked URL, `DEFAULT_PORTS`), and
`connect_within_policy`, which asks the network policy for the allowed address before every connection, and
`close_quietly`."""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from centinela.cameras.probes.outcome import ProbeFailure

USER_AGENT = "Centinela-probe/1.0"
MAX_HEADER_BYTES = 16 * 1024
MAX_HEADER_LINES = 100
MAX_RTSP_BODY = 64 * 1024
DEFAULT_PORTS = {"rtsp": 554, "rtsps": 322, "http": 80, "https": 443}


@dataclass
class Response:
    protocol: str  # "RTSP/1.0", "HTTP/1.1"
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes = b""

    def header(self, name: str, default: str = "") -> str:
        name = name.lower()
        for key, value in self.headers:
            if key == name:
                return value
        return default

    def all(self, name: str) -> list[str]:
        name = name.lower()
        return [value for key, value in self.headers if key == name]

    @property
    def closes(self) -> bool:
        return self.header("connection").lower() == "close" or self.protocol == "HTTP/1.0"


async def read_head(reader: asyncio.StreamReader, expect: str) -> Response:
    """Read a status line and headers of an RTSP or HTTP response; `expect` is "RTSP" or "HTTP"."""
    try:
        line = await reader.readuntil(b"\n")
    except asyncio.IncompleteReadError as exc:
        raise (
            ProbeFailure("closed_no_answer") if not exc.partial else ProbeFailure("not_protocol", protocol=expect)
        ) from None
    except asyncio.LimitOverrunError:
        raise ProbeFailure("not_protocol", protocol=expect) from None
    text = line.decode("latin-1").strip()
    parts = text.split(" ", 2)
    if not parts[0].startswith(expect + "/"):
        other = "HTTP" if expect == "RTSP" else "RTSP"
        if parts[0].startswith(other + "/"):
            raise ProbeFailure("wrong_protocol", protocol=expect, other=other)
        raise ProbeFailure("not_protocol", protocol=expect)
    if len(parts) < 2 or not parts[1].isdigit() or len(parts[1]) != 3:
        raise ProbeFailure("bad_status_line", protocol=expect)
    headers: list[tuple[str, str]] = []
    size = len(line)
    while True:
        try:
            line = await reader.readuntil(b"\n")
        except asyncio.IncompleteReadError:
            raise ProbeFailure("closed_mid_answer") from None
        except asyncio.LimitOverrunError:
            raise ProbeFailure("header_too_long") from None
        size += len(line)
        if size > MAX_HEADER_BYTES or len(headers) > MAX_HEADER_LINES:
            raise ProbeFailure("header_too_long")
        line = line.rstrip(b"\r\n")
        if not line:
            break
        if line[:1] in (b" ", b"\t") and headers:  # obsolete folding
            key, value = headers[-1]
            headers[-1] = (key, value + " " + line.decode("latin-1").strip())
            continue
        key, sep, value = line.decode("latin-1").partition(":")
        if not sep:
            raise ProbeFailure("bad_header", protocol=expect)
        headers.append((key.strip().lower(), value.strip()))
    return Response(parts[0], int(parts[1]), parts[2] if len(parts) > 2 else "", headers)


async def read_body(reader: asyncio.StreamReader, response: Response, limit: int, *, until_eof: bool) -> bytes:
    """The body by Content-Length, chunked (HTTP), or until the peer closes (HTTP without length); more than
    `limit` bytes is a failure ("answer too large"), checked before reading when the length is announced."""
    if "chunked" in response.header("transfer-encoding").lower():
        chunks, total = [], 0
        while True:
            try:
                size_line = await reader.readuntil(b"\n")
                size = int(size_line.split(b";")[0].strip() or b"x", 16)
            except (ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                raise ProbeFailure("bad_chunked") from None
            if size == 0:
                break
            total += size
            if total > limit:
                raise ProbeFailure("too_large", limit=limit)
            try:
                chunks.append(await reader.readexactly(size))
                await reader.readexactly(2)
            except asyncio.IncompleteReadError:
                raise ProbeFailure("closed_mid_body") from None
        return b"".join(chunks)
    length = response.header("content-length")
    if length:
        if not length.isdigit():
            raise ProbeFailure("bad_length")
        n = int(length)
        if n > limit:
            raise ProbeFailure("too_large", size=n, limit=limit)
        try:
            return await reader.readexactly(n)
        except asyncio.IncompleteReadError:
            raise ProbeFailure("closed_mid_body") from None
    if not until_eof:
        return b""
    data = await reader.read(limit + 1)
    buf = [data]
    total = len(data)
    while data and total <= limit:
        data = await reader.read(limit + 1 - total)
        buf.append(data)
        total += len(data)
    if total > limit:
        raise ProbeFailure("too_large", limit=limit)
    return b"".join(buf)


def _tls_context() -> ssl.SSLContext:
    # Liveness, not identity: cameras ship self-signed certificates, so the chain is not verified.
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class Target:
    """A parsed URL: where to connect and what to put in the request line. A user and password written in the URL
    (user:pass@, refused when a camera is saved, but perhaps stored before) are ignored, never sent: credentials
    come only from the device's own fields."""

    def __init__(self, url: str, schemes: tuple[str, ...]):
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError:
            raise ProbeFailure("malformed_url") from None
        if parts.scheme.lower() not in schemes or not parts.hostname or any(ch in url.strip() for ch in " \t\r\n\0"):
            raise ProbeFailure("malformed_url")
        self.scheme = parts.scheme.lower()
        self.host = parts.hostname
        self.port = port or DEFAULT_PORTS[self.scheme]
        self.tls = self.scheme in ("rtsps", "https")
        netloc = self.host if ":" not in self.host else f"[{self.host}]"
        if port:
            netloc += f":{port}"
        self.netloc = netloc
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.uri = f"{self.scheme}://{netloc}{self.path}"  # without the credentials


async def connect_within_policy(host: str, port: int, tls: bool = False, policy=None):
    """Open a connection; with a policy (the monitor's), only to an allowed address and port: the host is resolved
    once, every address checked, and the connection made to the checked address (no second lookup)."""
    address = host
    if policy is not None:
        address = await policy.resolve(host, port)
    try:
        return await asyncio.open_connection(
            address,
            port,
            ssl=_tls_context() if tls else None,
            server_hostname=host if tls else None,
            limit=MAX_HEADER_BYTES,
        )
    except ConnectionRefusedError:
        raise ProbeFailure("refused") from None


def close_quietly(writer: asyncio.StreamWriter | None) -> None:
    if writer is not None:
        try:
            writer.close()
        except Exception:  # noqa: BLE001 - closing a broken transport must not turn a result into a crash
            pass
