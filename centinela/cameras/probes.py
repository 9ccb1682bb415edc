"""Health probes for cameras over their real protocols (RTSP, HTTP snapshot, ONVIF, TCP), in plain asyncio.

No Django here (the module imports without settings) and no third-party client: each probe opens its own
connection, speaks just enough of the protocol to prove the device works, and never raises: every failure,
including a peer that accepts and then says nothing, becomes a ProbeOutcome with ok=False and a short reason,
within the probe's timeout (the whole probe, connect and every request included, is bounded by it).

Which probe decides (see `device_state`): the strongest configured one, in the order RTSP > HTTP snapshot >
ONVIF > TCP. A camera with a stream URL is up when its stream answers DESCRIBE with a video SDP; a snapshot-only
camera when it serves a real JPEG; an ONVIF-only device when it answers GetDeviceInformation; a device with none
of those when its TCP port accepts. Weaker probes are diagnostics: if the strongest fails but a weaker
application probe works (snapshot fine, stream broken) the device is "degraded"; an open TCP port alone never
makes a camera with a protocol configured "up".
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import errno
import re
import socket
import ssl
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from centinela.cameras.netpolicy import NotAllowed

USER_AGENT = "Centinela-probe/1.0"
MAX_HEADER_BYTES = 16 * 1024
MAX_HEADER_LINES = 100
MAX_RTSP_BODY = 64 * 1024
MAX_SOAP_BODY = 256 * 1024
DETAIL_MAX = 300  # ProbeResult.detail

RTSP, HTTP, ONVIF, TCP = "rtsp", "http", "onvif", "tcp"
STRENGTH = (RTSP, HTTP, ONVIF, TCP)  # strongest first
DEFAULT_PORTS = {"rtsp": 554, "rtsps": 322, "http": 80, "https": 443}


# Every result has a stable code (+ params) that programs read; `detail` is its short English text for logs and
# tools, and `cameras.probe_messages` turns the code into a sentence in the site's language for people.
REASONS = {
    # failures
    "closed_no_answer": "connection closed without answer",
    "closed_mid_answer": "connection closed mid-answer",
    "closed_mid_body": "connection closed mid-body",
    "not_protocol": "not {protocol}",
    "wrong_protocol": "not {protocol} ({other} answer)",
    "bad_status_line": "not {protocol} (bad status line)",
    "bad_header": "not {protocol} (bad header)",
    "header_too_long": "header too long",
    "bad_chunked": "bad chunked body",
    "bad_length": "bad Content-Length",
    "too_large": "answer too large",
    "malformed_url": "malformed URL",
    "refused": "connection refused",
    "reset": "reset",
    "timeout": "timeout",
    "unknown_host": "unknown host",
    "unreachable": "network error: {error}",
    "network": "network error: {error}",
    "tls": "TLS error: {error}",
    "error": "error: {error}",
    "bad_credentials_chars": "invalid credentials (control characters)",
    "unauthorized": "401 unauthorized",
    "unauthorized_no_credentials": "401 unauthorized (no credentials)",
    "unauthorized_unsupported": "401 unauthorized (unsupported auth)",
    "unreadable_credentials": "credentials unreadable (encryption key changed)",
    "auth_downgrade": "refused: Basic asked after Digest (password not sent)",
    "address_not_allowed": "address not allowed (CAMERA_ALLOWED_NETWORKS)",
    "port_not_allowed": "port {port} not allowed (CAMERA_ALLOWED_PORTS)",
    "no_target": "no host or port",
    "nothing_to_probe": "nothing to probe (no URL, host or port)",
    "options_status": "OPTIONS {status} {reason}",
    "status": "{status} {reason}",
    "http_status": "HTTP {status} {reason}",
    "not_sdp": "not SDP ({ctype})",
    "no_sdp": "no SDP",
    "no_video": "no video in SDP",
    "not_jpeg_type": "not JPEG (content-type {ctype})",
    "not_jpeg": "not JPEG (no SOI marker)",
    "truncated_jpeg": "truncated JPEG (no EOI marker)",
    "too_small": "too small ({size} bytes)",
    "soap_dtd": "not SOAP (DTD refused)",
    "not_xml": "not XML (HTTP {status})",
    "not_soap": "not SOAP",
    "soap_no_body": "not SOAP (no Body)",
    "soap_unauthorized": "SOAP fault: not authorized ({reason})",
    "soap_fault": "SOAP fault: {reason}",
    "not_onvif": "not ONVIF (no {operation})",
    "probe_error": "probe error: {error}",
    "probe_timeout": "timeout after {seconds:g} s",
    # successes
    "tcp_open": "TCP {port} open",
    "rtsp_ok": "DESCRIBE ok, video {codec}",
    "jpeg_ok": "JPEG, {kb:.0f} kB",
    "onvif_ok": "ONVIF {info}",
}
AUTH_FAILURES = ("unauthorized", "unauthorized_no_credentials", "unauthorized_unsupported", "soap_unauthorized")
# the camera answers but refuses the credentials (or they cannot be used): its own state, not "offline"
CREDENTIAL_FAILURES = ("unauthorized", "soap_unauthorized", "unreadable_credentials", "auth_downgrade")


def reason_text(code: str, params: dict | None = None) -> str:
    """The English text of a result code (what `ProbeOutcome.detail` holds)."""
    params = params or {}
    if code == "too_large" and params.get("size") is not None:
        return f"answer too large ({params['size']} bytes)"
    if code == "jpeg_ok" and params.get("width"):
        return f"JPEG {params['width']}x{params['height']}, {params['kb']:.0f} kB"
    try:
        text = REASONS[code].format(**params)
    except (KeyError, IndexError, ValueError):
        return code
    if code == "rtsp_ok" and params.get("auth"):
        text += f", {params['auth']} auth"
    if code == "onvif_ok" and params.get("clock"):
        text += f", clock {params['clock']:+.0f} s"
    return text.strip()


@dataclass
class ProbeOutcome:
    """One probe's result. latency_ms is the wall-clock time of a successful probe (None when it failed);
    `code` and `params` say what was seen ("jpeg_ok", width, height, kb) or why it failed ("unauthorized",
    "timeout"), and `detail` is the same in short English ("JPEG 320x240, 9 kB", "401 unauthorized")."""

    kind: str
    ok: bool
    latency_ms: float | None
    detail: str
    code: str = ""
    params: dict = field(default_factory=dict)

    @classmethod
    def of(cls, kind: str, ok: bool, latency_ms: float | None, code: str, **params) -> "ProbeOutcome":
        return cls(kind, ok, latency_ms, reason_text(code, params)[:DETAIL_MAX], code, params)


@dataclass
class DeviceSpec:
    """What probe_device needs to know about a device (the monitor builds it from a cameras.Device)."""

    stream_url: str = ""
    snapshot_url: str = ""
    onvif_url: str = ""
    host: str = ""
    port: int | None = None
    username: str = ""
    password: str = ""
    # the stored password could not be decrypted (the encryption key changed): an authentication failure then
    # says so instead of a misleading "401 unauthorized"
    credentials_unreadable: bool = False
    # where the monitor may connect (netpolicy.NetworkPolicy); None only for tools and tests that probe directly
    policy: object = None
    # the strongest authentication the camera accepted before ("digest": a Basic challenge is refused)
    auth_scheme: str = ""


class ProbeFailure(Exception):
    """A failure with its reason code (see REASONS) and params, raised inside a probe and turned into an outcome
    at its edge; str() is the English text."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(reason_text(code, params))


# ---------------------------------------------------------------------------------------------------------- wire

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


async def _read_head(reader: asyncio.StreamReader, expect: str) -> Response:
    """Read a status line and headers of an RTSP or HTTP response; `expect` is "RTSP" or "HTTP"."""
    try:
        line = await reader.readuntil(b"\n")
    except asyncio.IncompleteReadError as exc:
        raise (ProbeFailure("closed_no_answer") if not exc.partial
               else ProbeFailure("not_protocol", protocol=expect)) from None
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


async def _read_body(reader: asyncio.StreamReader, response: Response, limit: int, *, until_eof: bool) -> bytes:
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


class _Target:
    """A parsed URL: where to connect and what to put in the request line."""

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
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        netloc = self.host if ":" not in self.host else f"[{self.host}]"
        if port:
            netloc += f":{port}"
        self.netloc = netloc
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.uri = f"{self.scheme}://{netloc}{self.path}"  # without the credentials


async def _connect(host: str, port: int, tls: bool = False, policy=None):
    """Open a connection; with a policy (the monitor's), only to an allowed address and port: the host is resolved
    once, every address checked, and the connection made to the checked address (no second lookup)."""
    address = host
    if policy is not None:
        address = await policy.resolve(host, port)
    try:
        return await asyncio.open_connection(address, port, ssl=_tls_context() if tls else None,
                                             server_hostname=host if tls else None, limit=MAX_HEADER_BYTES)
    except ConnectionRefusedError:
        raise ProbeFailure("refused") from None


def _close(writer: asyncio.StreamWriter | None) -> None:
    if writer is not None:
        try:
            writer.close()
        except Exception:  # noqa: BLE001 - closing a broken transport must not turn a result into a crash
            pass


# ---------------------------------------------------------------------------------------------- authentication

_PARAM = re.compile(r'([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)')


def _parse_challenges(values: list[str]) -> list[tuple[str, dict[str, str]]]:
    """WWW-Authenticate values -> [(scheme, params)], also when one value carries several challenges."""
    out: list[tuple[str, dict[str, str]]] = []
    for value in values:
        for challenge in re.split(r",\s*(?=(?:basic|digest|bearer|negotiate|ntlm)\b)", value.strip(), flags=re.I):
            scheme, _, rest = challenge.strip().partition(" ")
            params = {}
            for key, val in _PARAM.findall(rest):
                if val.startswith('"'):
                    val = re.sub(r"\\(.)", r"\1", val[1:-1])
                params[key.lower()] = val
            out.append((scheme.lower(), params))
    return out


_DIGEST_HASHES = {"md5": hashlib.md5, "md5-sess": hashlib.md5, "sha-256": hashlib.sha256, "sha-256-sess": hashlib.sha256}


class _Auth:
    """Answers a 401 with Basic or Digest (RFC 2617 / RFC 7616: MD5 or SHA-256, qop auth or none)."""

    def __init__(self, username: str | None, password: str | None, pinned: str = ""):
        self.username = username or ""
        self.password = password or ""
        self.pinned = pinned  # "digest": the camera accepted Digest before, so Basic is a downgrade
        self.scheme: str | None = None
        self.params: dict[str, str] = {}
        self.nc = 0
        self.cnonce = os.urandom(8).hex()

    @property
    def has_credentials(self) -> bool:
        return bool(self.username)

    def challenge(self, response: Response) -> bool:
        """Take the best challenge of a 401; False when none is usable (or no credentials)."""
        challenges = _parse_challenges(response.all("www-authenticate"))
        digests = [p for s, p in challenges if s == "digest" and p.get("algorithm", "md5").lower() in _DIGEST_HASHES]
        digests.sort(key=lambda p: "sha-256" in p.get("algorithm", "").lower(), reverse=True)
        if digests:
            self.scheme, self.params, self.nc = "digest", digests[0], 0
        elif any(s == "basic" for s, _ in challenges):
            if self.has_credentials and "digest" in (self.pinned, self.scheme):
                # never send the password in clear to a peer that took (or takes) Digest: an impostor asks for Basic
                raise ProbeFailure("auth_downgrade")
            self.scheme, self.params = "basic", {}
        else:
            return False
        return self.has_credentials

    def header(self, method: str, uri: str) -> str | None:
        if self.scheme and any(ch in self.username + self.password for ch in "\r\n\0"):
            raise ProbeFailure("bad_credentials_chars")
        if self.scheme == "basic":
            return "Basic " + base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        if self.scheme != "digest":
            return None
        p = self.params
        algorithm = p.get("algorithm", "MD5")
        h = _DIGEST_HASHES[algorithm.lower()]
        hx = lambda s: h(s.encode()).hexdigest()  # noqa: E731
        realm, nonce = p.get("realm", ""), p.get("nonce", "")
        ha1 = hx(f"{self.username}:{realm}:{self.password}")
        if algorithm.lower().endswith("-sess"):
            ha1 = hx(f"{ha1}:{nonce}:{self.cnonce}")
        ha2 = hx(f"{method}:{uri}")
        qops = [q.strip().lower() for q in p.get("qop", "").split(",") if q.strip()]
        quote = lambda v: v.replace("\\", "\\\\").replace('"', '\\"')  # noqa: E731
        fields = [f'username="{quote(self.username)}"', f'realm="{quote(realm)}"', f'nonce="{quote(nonce)}"',
                  f'uri="{uri}"']
        if "auth" in qops:
            self.nc += 1
            nc = f"{self.nc:08x}"
            digest = hx(f"{ha1}:{nonce}:{nc}:{self.cnonce}:auth:{ha2}")
            fields += [f'response="{digest}"', "qop=auth", f"nc={nc}", f'cnonce="{self.cnonce}"']
        else:
            fields.append(f'response="{hx(f"{ha1}:{nonce}:{ha2}")}"')
        if "algorithm" in p:
            fields.append(f"algorithm={algorithm}")
        if "opaque" in p:
            fields.append(f'opaque="{quote(p["opaque"])}"')
        return "Digest " + ", ".join(fields)


# ------------------------------------------------------------------------------------------------------- probes

def _elapsed_ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


_UNREACHABLE_ERRNOS = {errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EHOSTDOWN, errno.ENETDOWN}


def _failure_reason(exc: BaseException, timeout: float | None = None) -> tuple[str, dict]:
    """(code, params) of an exception raised inside a probe."""
    if isinstance(exc, (ProbeFailure, NotAllowed)):
        return exc.code, exc.params
    if isinstance(exc, (TimeoutError, asyncio.TimeoutError)):
        return "timeout", ({"seconds": timeout} if timeout else {})
    if isinstance(exc, ConnectionRefusedError):
        return "refused", {}
    if isinstance(exc, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)):
        return "reset", {}
    if isinstance(exc, ssl.SSLError):
        return "tls", {"error": str(exc.reason or exc)[:120]}
    if isinstance(exc, socket.gaierror):
        return "unknown_host", {}
    if isinstance(exc, OSError):
        code = "unreachable" if exc.errno in _UNREACHABLE_ERRNOS else "network"
        return code, {"error": str(exc.strerror or exc)[:120]}
    return "error", {"error": f"{type(exc).__name__}: {exc}"[:200]}


async def _run(kind: str, timeout: float, body) -> ProbeOutcome:
    """Run one probe coroutine under its timeout; any exception becomes a failed outcome. `body` returns the
    (code, params) of its success."""
    start = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            code, params = await body()
    except Exception as exc:  # noqa: BLE001 - a probe never raises
        code, params = _failure_reason(exc, timeout)
        return ProbeOutcome.of(kind, False, None, code, **params)
    return ProbeOutcome.of(kind, True, _elapsed_ms(start), code, **params)


async def probe_tcp(host: str, port: int, timeout: float = 3.0, *, policy=None) -> ProbeOutcome:
    """A TCP connect: the floor, for devices with nothing better configured."""

    async def body():
        if not host or not port:
            raise ProbeFailure("no_target")
        _reader, writer = await _connect(host, int(port), policy=policy)
        _close(writer)
        return "tcp_open", {"port": int(port)}

    return await _run(TCP, timeout, body)


async def probe_rtsp(url: str, username: str | None = None, password: str | None = None,
                     timeout: float = 5.0, *, policy=None, auth_scheme: str = "") -> ProbeOutcome:
    """RTSP OPTIONS then DESCRIBE; ok when DESCRIBE answers 200 with an SDP that has an m=video line. Every request
    goes to the URL's own host (RTSP redirects, 3xx, are a failure, never followed)."""

    async def body():
        target = _Target(url, ("rtsp", "rtsps"))
        auth = _Auth(username or target.user, password if username else (password or target.password), auth_scheme)
        reader = writer = None
        cseq = 0

        async def request(method: str, extra: str = "") -> Response:
            nonlocal reader, writer
            reused = writer is not None and not writer.is_closing() and not reader.at_eof()
            if not reused:
                _close(writer)
                reader, writer = await _connect(target.host, target.port, target.tls, policy)
            try:
                return await exchange(method, extra)
            except (ProbeFailure, ConnectionResetError, BrokenPipeError) as exc:
                # the server closed the connection after its last answer without saying so: ask on a new one
                if not reused or (isinstance(exc, ProbeFailure) and exc.code != "closed_no_answer"):
                    raise
                _close(writer)
                reader, writer = await _connect(target.host, target.port, target.tls, policy)
                return await exchange(method, extra)

        async def exchange(method: str, extra: str) -> Response:
            nonlocal cseq
            cseq += 1
            head = f"{method} {target.uri} RTSP/1.0\r\nCSeq: {cseq}\r\nUser-Agent: {USER_AGENT}\r\n{extra}"
            authorization = auth.header(method, target.uri)
            if authorization:
                head += f"Authorization: {authorization}\r\n"
            writer.write((head + "\r\n").encode("latin-1"))
            await writer.drain()
            response = await _read_head(reader, "RTSP")
            response.body = await _read_body(reader, response, MAX_RTSP_BODY, until_eof=False)
            if response.closes:
                _close(writer)
            return response

        async def authenticated(method: str, extra: str = "") -> Response:
            response = await request(method, extra)
            if response.status == 401:
                if not auth.challenge(response):
                    raise ProbeFailure("unauthorized_no_credentials" if not auth.has_credentials
                                       else "unauthorized_unsupported")
                response = await request(method, extra)
                if response.status == 401:
                    raise ProbeFailure("unauthorized")
            return response

        try:
            options = await authenticated("OPTIONS")
            if options.status >= 500:
                raise ProbeFailure("options_status", status=options.status, reason=options.reason.lower()[:80])
            describe = await authenticated("DESCRIBE", "Accept: application/sdp\r\n")
        finally:
            _close(writer)
        if describe.status != 200:
            raise ProbeFailure("status", status=describe.status, reason=describe.reason.lower()[:80])
        ctype = describe.header("content-type").lower()
        if ctype and "sdp" not in ctype:
            raise ProbeFailure("not_sdp", ctype=ctype[:40])
        sdp = describe.body.decode("utf-8", "replace")
        lines = [line.strip() for line in sdp.splitlines()]
        if not lines or not lines[0].startswith("v="):
            raise ProbeFailure("no_sdp")
        video = [i for i, line in enumerate(lines) if line.startswith("m=video")]
        if not video:
            raise ProbeFailure("no_video")
        codec = ""
        for line in lines[video[0] + 1:]:
            if line.startswith("m="):
                break
            if line.startswith("a=rtpmap:"):
                codec = line.split(" ", 1)[-1]
                break
        return "rtsp_ok", {"codec": (codec or lines[video[0]][8:])[:80], "auth": auth.scheme or ""}

    return await _run(RTSP, timeout, body)


async def _http_request(target: _Target, method: str, auth: _Auth, *, headers: str = "", payload: bytes = b"",
                        limit: int, policy=None) -> Response:
    """An HTTP/1.1 exchange answering one 401 challenge. The first request keeps the connection open when
    credentials could answer a challenge (the retry reuses it if the server allows); the last one asks the
    server to close, so a body without a length ends at the close."""
    conn: list = [None, None]  # reader, writer

    async def send(keep_open: bool) -> Response:
        reader, writer = conn
        head = (f"{method} {target.path} HTTP/1.1\r\nHost: {target.netloc}\r\nUser-Agent: {USER_AGENT}\r\n"
                f"Connection: {'keep-alive' if keep_open else 'close'}\r\n{headers}")
        authorization = auth.header(method, target.path)
        if authorization:
            head += f"Authorization: {authorization}\r\n"
        if payload or method == "POST":
            head += f"Content-Length: {len(payload)}\r\n"
        writer.write((head + "\r\n").encode("latin-1") + payload)
        await writer.drain()
        return await _read_head(reader, "HTTP")

    async def once(keep_open: bool) -> Response:
        reused = conn[1] is not None and not conn[1].is_closing() and not conn[0].at_eof()
        if not reused:
            _close(conn[1])
            conn[:] = await _connect(target.host, target.port, target.tls, policy)
        try:
            response = await send(keep_open)
        except (ProbeFailure, ConnectionResetError, BrokenPipeError) as exc:
            # a server may close an idle kept-alive connection at any moment: then ask again on a new one
            if not reused or (isinstance(exc, ProbeFailure) and exc.code != "closed_no_answer"):
                raise
            _close(conn[1])
            conn[:] = await _connect(target.host, target.port, target.tls, policy)
            response = await send(keep_open)
        reader, writer = conn
        if response.status == 401:
            delimited = response.header("content-length") or "chunked" in response.header("transfer-encoding").lower()
            if keep_open and delimited and not response.closes:
                await _read_body(reader, response, MAX_RTSP_BODY, until_eof=False)  # drained: the connection is reusable
            else:
                _close(writer)
                conn[:] = [None, None]
            return response
        response.body = await _read_body(reader, response, limit, until_eof=True)
        return response

    try:
        response = await once(keep_open=auth.has_credentials)
        if response.status == 401:
            if not auth.challenge(response):
                raise ProbeFailure("unauthorized_no_credentials" if not auth.has_credentials
                                   else "unauthorized_unsupported")
            response = await once(keep_open=False)
            if response.status == 401:
                raise ProbeFailure("unauthorized")
        return response
    finally:
        _close(conn[1])


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
        length = int.from_bytes(data[i + 2:i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return int.from_bytes(data[i + 7:i + 9], "big"), int.from_bytes(data[i + 5:i + 7], "big")
        i += 2 + length
    return None


async def probe_http_snapshot(url: str, username: str | None = None, password: str | None = None,
                              timeout: float = 5.0, min_bytes: int = 1000, max_bytes: int = 5_000_000, *,
                              policy=None, auth_scheme: str = "") -> ProbeOutcome:
    """HTTP GET of a snapshot; ok when it is 200, image/jpeg, starts FF D8, ends FF D9 and has a plausible size.
    A redirect (3xx) is a failure: it is never followed, so the credentials never go to another host."""

    async def body():
        target = _Target(url, ("http", "https"))
        auth = _Auth(username or target.user, password if username else (password or target.password), auth_scheme)
        response = await _http_request(target, "GET", auth, headers="Accept: image/jpeg\r\n", limit=max_bytes,
                                       policy=policy)
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
        return "jpeg_ok", {"width": size[0] if size else None, "height": size[1] if size else None,
                           "kb": len(data) / 1024, "auth": auth.scheme or ""}

    return await _run(HTTP, timeout, body)


# ------------------------------------------------------------------------------------------------------- ONVIF

SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
TDS = "http://www.onvif.org/ver10/device/wsdl"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
PASSWORD_DIGEST = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"
BASE64_BINARY = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"


def _xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def username_token(username: str, password: str, created: datetime, nonce: bytes | None = None) -> str:
    """WS-Security UsernameToken with PasswordDigest = Base64(SHA-1(nonce + created + password))."""
    nonce = nonce if nonce is not None else os.urandom(16)
    stamp = created.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{created.microsecond // 1000:03d}Z"
    digest = base64.b64encode(hashlib.sha1(nonce + stamp.encode() + password.encode()).digest()).decode()
    return (f'<wsse:Security s:mustUnderstand="1" xmlns:wsse="{WSSE}" xmlns:wsu="{WSU}"><wsse:UsernameToken>'
            f"<wsse:Username>{_xml_escape(username)}</wsse:Username>"
            f'<wsse:Password Type="{PASSWORD_DIGEST}">{digest}</wsse:Password>'
            f'<wsse:Nonce EncodingType="{BASE64_BINARY}">{base64.b64encode(nonce).decode()}</wsse:Nonce>'
            f"<wsu:Created>{stamp}</wsu:Created></wsse:UsernameToken></wsse:Security>")


def _envelope(operation: str, security: str = "") -> bytes:
    header = f"<s:Header>{security}</s:Header>" if security else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="{SOAP12}" xmlns:tds="{TDS}">'
            f"{header}<s:Body><tds:{operation}/></s:Body></s:Envelope>").encode()


def _soap_body(response: Response) -> ElementTree.Element:
    """The SOAP Body element of an answer; a Fault, a non-XML or a non-SOAP answer is a failure."""
    data = response.body
    if b"<!DOCTYPE" in data[:2048].upper() or b"<!ENTITY" in data.upper():
        raise ProbeFailure("soap_dtd")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise ProbeFailure("not_xml", status=response.status) from None
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if ns not in (SOAP12, SOAP11) or not root.tag.endswith("}Envelope"):
        raise ProbeFailure("not_soap")
    body = root.find(f"{{{ns}}}Body")
    if body is None:
        raise ProbeFailure("soap_no_body")
    fault = body.find(f"{{{ns}}}Fault")
    if fault is not None:
        texts = [t.strip() for t in fault.itertext() if t.strip()]
        reason = texts[-1] if texts else "no reason"
        subcodes = [t.split(":")[-1] for t in texts if ":" in t and " " not in t]
        if any(code in ("NotAuthorized", "FailedAuthentication", "InvalidSecurityToken") for code in subcodes):
            raise ProbeFailure("soap_unauthorized", reason=reason[:80])
        raise ProbeFailure("soap_fault", reason=reason[:120])
    if response.status != 200:
        raise ProbeFailure("http_status", status=response.status, reason=response.reason.lower()[:80])
    return body


def _text(parent: ElementTree.Element, name: str) -> str:
    el = parent.find(f"{{{TDS}}}{name}")
    return (el.text or "").strip() if el is not None else ""


async def probe_onvif(url: str, username: str | None, password: str | None, timeout: float = 5.0, *,
                      policy=None, auth_scheme: str = "") -> ProbeOutcome:
    """ONVIF GetSystemDateAndTime (no auth, gives the device clock) then GetDeviceInformation with a WS-Security
    UsernameToken digest stamped in the device's time (devices reject tokens outside their clock window)."""

    async def body():
        target = _Target(url, ("http", "https"))
        auth = _Auth(username or target.user, password if username else (password or target.password), auth_scheme)
        user, pw = auth.username, auth.password

        async def call(operation: str, security: str = "") -> ElementTree.Element:
            action = f"{TDS}/{operation}"
            response = await _http_request(
                target, "POST", auth, payload=_envelope(operation, security), limit=MAX_SOAP_BODY, policy=policy,
                headers=f'Content-Type: application/soap+xml; charset=utf-8; action="{action}"\r\n',
            )
            return _soap_body(response)

        offset = timedelta(0)
        clock = 0
        try:
            answer = await call("GetSystemDateAndTime")
            utc = answer.find(f".//{{{TDS}}}GetSystemDateAndTimeResponse//{{*}}UTCDateTime")
            if utc is not None:
                d, t = utc.find("{*}Date"), utc.find("{*}Time")
                value = lambda el, tag: int(el.find(f"{{*}}{tag}").text)  # noqa: E731
                device_now = datetime(value(d, "Year"), value(d, "Month"), value(d, "Day"), value(t, "Hour"),
                                      value(t, "Minute"), value(t, "Second"), tzinfo=timezone.utc)
                offset = device_now - datetime.now(timezone.utc)
                if abs(offset.total_seconds()) > 5:
                    clock = round(offset.total_seconds())
            elif answer.find(f"{{{TDS}}}GetSystemDateAndTimeResponse") is None:
                raise ProbeFailure("not_onvif", operation="GetSystemDateAndTimeResponse")
        except ProbeFailure as exc:
            if exc.code not in ("soap_fault", "soap_unauthorized"):  # some devices want auth even here: go on with our clock
                raise
        except (AttributeError, TypeError, ValueError):
            pass  # an unreadable clock: use ours
        security = username_token(user, pw, datetime.now(timezone.utc) + offset) if user else ""
        answer = await call("GetDeviceInformation", security)
        info = answer.find(f"{{{TDS}}}GetDeviceInformationResponse")
        if info is None:
            raise ProbeFailure("not_onvif", operation="GetDeviceInformationResponse")
        manufacturer, model, firmware = _text(info, "Manufacturer"), _text(info, "Model"), _text(info, "FirmwareVersion")
        serial = _text(info, "SerialNumber")
        parts = [p for p in (manufacturer, model) if p]
        if firmware:
            parts.append(f"fw {firmware}")
        if serial:
            parts.append(f"s/n {serial}")
        return "onvif_ok", {"info": (" ".join(parts) or "device")[:200], "clock": clock, "auth": auth.scheme or ""}

    return await _run(ONVIF, timeout, body)


# ------------------------------------------------------------------------------------------------------ devices

def tcp_target(spec: DeviceSpec) -> tuple[str, int] | None:
    """The TCP floor's host and port: the configured ones, else those of the first URL."""
    if spec.host and spec.port:
        return spec.host, int(spec.port)
    for url in (spec.stream_url, spec.snapshot_url, spec.onvif_url):
        if not url:
            continue
        try:
            parts = urlsplit(url.strip())
            scheme, port = parts.scheme.lower(), parts.port
        except ValueError:
            continue
        if parts.hostname and scheme in DEFAULT_PORTS:
            return spec.host or parts.hostname, int(spec.port or port or DEFAULT_PORTS[scheme])
    return None


async def probe_device(spec: DeviceSpec, timeout: float = 5.0, tcp_timeout: float = 3.0) -> list[ProbeOutcome]:
    """Every configured probe, concurrently, strongest first: RTSP (stream_url), HTTP (snapshot_url), ONVIF
    (onvif_url), and TCP always when a host and port are known. Never raises; costs at most max(timeouts)."""
    # credentials the key cannot decrypt are not sent at all (never an empty password): see the mapping below
    user, pw = (None, None) if spec.credentials_unreadable else (spec.username or None, spec.password or None)
    extra = {"policy": spec.policy, "auth_scheme": spec.auth_scheme}
    jobs = []
    if spec.stream_url:
        jobs.append(probe_rtsp(spec.stream_url, user, pw, timeout, **extra))
    if spec.snapshot_url:
        jobs.append(probe_http_snapshot(spec.snapshot_url, user, pw, timeout, **extra))
    if spec.onvif_url:
        jobs.append(probe_onvif(spec.onvif_url, user, pw, timeout, **extra))
    target = tcp_target(spec)
    if target:
        jobs.append(probe_tcp(target[0], target[1], tcp_timeout, policy=spec.policy))
    if not jobs:
        return [ProbeOutcome.of(TCP, False, None, "nothing_to_probe")]
    outcomes = list(await asyncio.gather(*jobs))
    if spec.credentials_unreadable:
        outcomes = [ProbeOutcome.of(o.kind, False, None, "unreadable_credentials")
                    if not o.ok and o.code in AUTH_FAILURES else o for o in outcomes]
    return outcomes


# the words device_state joins outcomes with; cameras.probe_messages passes the site language's
STATE_WORDS = {"nothing": "nothing probed", "but": "%(detail)s (but %(notes)s)",
               "works": "%(reason)s; %(kind)s works: %(detail)s", "port_open": "%(reason)s (port open)",
               "item": "%(kind)s: %(detail)s"}


def device_state(outcomes: list[ProbeOutcome], text=None, words: dict | None = None) -> tuple[str, str]:
    """("up" | "degraded" | "down", detail) from probe_device's outcomes: the strongest configured probe decides
    (see the module docstring). `text(outcome)` and `words` give the wording (English `detail` by default)."""
    text = text or (lambda o: o.detail)
    w = words or STATE_WORDS
    if not outcomes:
        return "down", w["nothing"]
    ordered = sorted(outcomes, key=lambda o: STRENGTH.index(o.kind) if o.kind in STRENGTH else len(STRENGTH))
    strongest = ordered[0]
    failing = [o for o in ordered if not o.ok]
    item = lambda o: w["item"] % {"kind": o.kind.upper(), "detail": text(o)}  # noqa: E731
    if strongest.ok:
        notes = "; ".join(item(o) for o in failing)
        return "up", (w["but"] % {"detail": text(strongest), "notes": notes} if notes else text(strongest))[:DETAIL_MAX]
    working = [o for o in ordered[1:] if o.ok and o.kind != TCP]
    reason = item(strongest)
    if working:
        return "degraded", (w["works"] % {"reason": reason, "kind": working[0].kind.upper(),
                                          "detail": text(working[0])})[:DETAIL_MAX]
    tcp = [o for o in ordered[1:] if o.kind == TCP and o.ok]
    return "down", (w["port_open"] % {"reason": reason} if tcp else reason)[:DETAIL_MAX]


async def probe_many(specs: list[DeviceSpec], concurrency: int = 200, timeout: float = 5.0) -> list[list[ProbeOutcome]]:
    """probe_device over many devices with at most `concurrency` devices in flight (for benchmarks and tools)."""
    gate = asyncio.Semaphore(concurrency)

    async def one(spec):
        async with gate:
            return await probe_device(spec, timeout=timeout)

    return list(await asyncio.gather(*(one(s) for s in specs)))
