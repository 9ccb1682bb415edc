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
import re
import ssl
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

USER_AGENT = "Centinela-probe/1.0"
MAX_HEADER_BYTES = 16 * 1024
MAX_HEADER_LINES = 100
MAX_RTSP_BODY = 64 * 1024
MAX_SOAP_BODY = 256 * 1024
DETAIL_MAX = 300  # ProbeResult.detail

RTSP, HTTP, ONVIF, TCP = "rtsp", "http", "onvif", "tcp"
STRENGTH = (RTSP, HTTP, ONVIF, TCP)  # strongest first
DEFAULT_PORTS = {"rtsp": 554, "rtsps": 322, "http": 80, "https": 443}


@dataclass
class ProbeOutcome:
    """One probe's result. latency_ms is the wall-clock time of a successful probe (None when it failed);
    detail says what was seen ("JPEG 320x240, 9 kB") or why it failed ("401 unauthorized", "timeout")."""

    kind: str
    ok: bool
    latency_ms: float | None
    detail: str


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


class ProbeFailure(Exception):
    """A failure with its reason, raised inside a probe and turned into an outcome at its edge."""


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
        raise ProbeFailure("connection closed without answer" if not exc.partial else f"not {expect}") from None
    except asyncio.LimitOverrunError:
        raise ProbeFailure(f"not {expect}") from None
    text = line.decode("latin-1").strip()
    parts = text.split(" ", 2)
    if not parts[0].startswith(expect + "/"):
        other = "HTTP" if expect == "RTSP" else "RTSP"
        if parts[0].startswith(other + "/"):
            raise ProbeFailure(f"not {expect} ({other} answer)")
        raise ProbeFailure(f"not {expect}")
    if len(parts) < 2 or not parts[1].isdigit() or len(parts[1]) != 3:
        raise ProbeFailure(f"not {expect} (bad status line)")
    headers: list[tuple[str, str]] = []
    size = len(line)
    while True:
        try:
            line = await reader.readuntil(b"\n")
        except asyncio.IncompleteReadError:
            raise ProbeFailure("connection closed mid-answer") from None
        except asyncio.LimitOverrunError:
            raise ProbeFailure("header too long") from None
        size += len(line)
        if size > MAX_HEADER_BYTES or len(headers) > MAX_HEADER_LINES:
            raise ProbeFailure("header too long")
        line = line.rstrip(b"\r\n")
        if not line:
            break
        if line[:1] in (b" ", b"\t") and headers:  # obsolete folding
            key, value = headers[-1]
            headers[-1] = (key, value + " " + line.decode("latin-1").strip())
            continue
        key, sep, value = line.decode("latin-1").partition(":")
        if not sep:
            raise ProbeFailure(f"not {expect} (bad header)")
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
                raise ProbeFailure("bad chunked body") from None
            if size == 0:
                break
            total += size
            if total > limit:
                raise ProbeFailure("answer too large")
            try:
                chunks.append(await reader.readexactly(size))
                await reader.readexactly(2)
            except asyncio.IncompleteReadError:
                raise ProbeFailure("connection closed mid-body") from None
        return b"".join(chunks)
    length = response.header("content-length")
    if length:
        if not length.isdigit():
            raise ProbeFailure("bad Content-Length")
        n = int(length)
        if n > limit:
            raise ProbeFailure(f"answer too large ({n} bytes)")
        try:
            return await reader.readexactly(n)
        except asyncio.IncompleteReadError:
            raise ProbeFailure("connection closed mid-body") from None
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
        raise ProbeFailure("answer too large")
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
            raise ProbeFailure("malformed URL") from None
        if parts.scheme.lower() not in schemes or not parts.hostname or any(ch in url.strip() for ch in " \t\r\n\0"):
            raise ProbeFailure("malformed URL")
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


async def _connect(host: str, port: int, tls: bool = False):
    try:
        return await asyncio.open_connection(host, port, ssl=_tls_context() if tls else None,
                                             limit=MAX_HEADER_BYTES)
    except ConnectionRefusedError:
        raise ProbeFailure("connection refused") from None


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

    def __init__(self, username: str | None, password: str | None):
        self.username = username or ""
        self.password = password or ""
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
            self.scheme, self.params = "basic", {}
        else:
            return False
        return self.has_credentials

    def header(self, method: str, uri: str) -> str | None:
        if self.scheme and any(ch in self.username + self.password for ch in "\r\n\0"):
            raise ProbeFailure("invalid credentials (control characters)")
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


def _failure_reason(exc: BaseException) -> str:
    if isinstance(exc, ProbeFailure):
        return str(exc)
    if isinstance(exc, (TimeoutError, asyncio.TimeoutError)):
        return "timeout"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)):
        return "reset"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc}"
    if isinstance(exc, OSError) and exc.__class__.__name__ == "gaierror":
        return "unknown host"
    if isinstance(exc, OSError):
        return f"network error: {exc.strerror or exc}"
    return f"error: {type(exc).__name__}: {exc}"


async def _run(kind: str, timeout: float, body) -> ProbeOutcome:
    """Run one probe coroutine under its timeout; any exception becomes a failed outcome."""
    start = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            detail = await body()
    except Exception as exc:  # noqa: BLE001 - a probe never raises
        return ProbeOutcome(kind, False, None, _failure_reason(exc)[:DETAIL_MAX])
    return ProbeOutcome(kind, True, _elapsed_ms(start), detail[:DETAIL_MAX])


async def probe_tcp(host: str, port: int, timeout: float = 3.0) -> ProbeOutcome:
    """A TCP connect: the floor, for devices with nothing better configured."""

    async def body():
        if not host or not port:
            raise ProbeFailure("no host or port")
        _reader, writer = await _connect(host, int(port))
        _close(writer)
        return f"TCP {port} open"

    return await _run(TCP, timeout, body)


async def probe_rtsp(url: str, username: str | None = None, password: str | None = None,
                     timeout: float = 5.0) -> ProbeOutcome:
    """RTSP OPTIONS then DESCRIBE; ok when DESCRIBE answers 200 with an SDP that has an m=video line."""

    async def body():
        target = _Target(url, ("rtsp", "rtsps"))
        auth = _Auth(username or target.user, password if username else (password or target.password))
        reader = writer = None
        cseq = 0

        async def request(method: str, extra: str = "") -> Response:
            nonlocal reader, writer
            reused = writer is not None and not writer.is_closing() and not reader.at_eof()
            if not reused:
                _close(writer)
                reader, writer = await _connect(target.host, target.port, target.tls)
            try:
                return await exchange(method, extra)
            except (ProbeFailure, ConnectionResetError, BrokenPipeError) as exc:
                # the server closed the connection after its last answer without saying so: ask on a new one
                if not reused or (isinstance(exc, ProbeFailure) and str(exc) != "connection closed without answer"):
                    raise
                _close(writer)
                reader, writer = await _connect(target.host, target.port, target.tls)
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
                    raise ProbeFailure("401 unauthorized (no credentials)" if not auth.has_credentials
                                       else "401 unauthorized (unsupported auth)")
                response = await request(method, extra)
                if response.status == 401:
                    raise ProbeFailure("401 unauthorized")
            return response

        try:
            options = await authenticated("OPTIONS")
            if options.status >= 500:
                raise ProbeFailure(f"OPTIONS {options.status} {options.reason.lower()}".strip())
            describe = await authenticated("DESCRIBE", "Accept: application/sdp\r\n")
        finally:
            _close(writer)
        if describe.status != 200:
            raise ProbeFailure(f"{describe.status} {describe.reason.lower()}".strip())
        ctype = describe.header("content-type").lower()
        if ctype and "sdp" not in ctype:
            raise ProbeFailure(f"not SDP ({ctype[:40]})")
        sdp = describe.body.decode("utf-8", "replace")
        lines = [line.strip() for line in sdp.splitlines()]
        if not lines or not lines[0].startswith("v="):
            raise ProbeFailure("no SDP")
        video = [i for i, line in enumerate(lines) if line.startswith("m=video")]
        if not video:
            raise ProbeFailure("no video in SDP")
        codec = ""
        for line in lines[video[0] + 1:]:
            if line.startswith("m="):
                break
            if line.startswith("a=rtpmap:"):
                codec = line.split(" ", 1)[-1]
                break
        via = f", {auth.scheme} auth" if auth.scheme else ""
        return f"DESCRIBE ok, video {codec or lines[video[0]][8:]}{via}"

    return await _run(RTSP, timeout, body)


async def _http_request(target: _Target, method: str, auth: _Auth, *, headers: str = "", payload: bytes = b"",
                        limit: int) -> Response:
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
            conn[:] = await _connect(target.host, target.port, target.tls)
        try:
            response = await send(keep_open)
        except (ProbeFailure, ConnectionResetError, BrokenPipeError) as exc:
            # a server may close an idle kept-alive connection at any moment: then ask again on a new one
            if not reused or (isinstance(exc, ProbeFailure) and str(exc) != "connection closed without answer"):
                raise
            _close(conn[1])
            conn[:] = await _connect(target.host, target.port, target.tls)
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
                raise ProbeFailure("401 unauthorized (no credentials)" if not auth.has_credentials
                                   else "401 unauthorized (unsupported auth)")
            response = await once(keep_open=False)
            if response.status == 401:
                raise ProbeFailure("401 unauthorized")
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
                              timeout: float = 5.0, min_bytes: int = 1000, max_bytes: int = 5_000_000) -> ProbeOutcome:
    """HTTP GET of a snapshot; ok when it is 200, image/jpeg, starts FF D8, ends FF D9 and has a plausible size."""

    async def body():
        target = _Target(url, ("http", "https"))
        auth = _Auth(username or target.user, password if username else (password or target.password))
        response = await _http_request(target, "GET", auth, headers="Accept: image/jpeg\r\n", limit=max_bytes)
        if response.status != 200:
            raise ProbeFailure(f"HTTP {response.status} {response.reason.lower()}".strip())
        ctype = response.header("content-type").split(";")[0].strip().lower()
        if ctype not in ("image/jpeg", "image/jpg"):
            raise ProbeFailure(f"not JPEG (content-type {ctype[:40] or 'missing'})")
        data = response.body
        if len(data) < min_bytes:
            raise ProbeFailure(f"too small ({len(data)} bytes)")
        if not data.startswith(b"\xff\xd8"):
            raise ProbeFailure("not JPEG (no SOI marker)")
        if not data.rstrip(b"\x00\r\n ").endswith(b"\xff\xd9"):
            raise ProbeFailure("truncated JPEG (no EOI marker)")
        size = _jpeg_size(data)
        dims = f" {size[0]}x{size[1]}" if size else ""
        return f"JPEG{dims}, {len(data) / 1024:.0f} kB"

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
        raise ProbeFailure("not SOAP (DTD refused)")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise ProbeFailure(f"not XML (HTTP {response.status})") from None
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if ns not in (SOAP12, SOAP11) or not root.tag.endswith("}Envelope"):
        raise ProbeFailure("not SOAP")
    body = root.find(f"{{{ns}}}Body")
    if body is None:
        raise ProbeFailure("not SOAP (no Body)")
    fault = body.find(f"{{{ns}}}Fault")
    if fault is not None:
        texts = [t.strip() for t in fault.itertext() if t.strip()]
        reason = texts[-1] if texts else "no reason"
        subcodes = [t.split(":")[-1] for t in texts if ":" in t and " " not in t]
        if any(code in ("NotAuthorized", "FailedAuthentication", "InvalidSecurityToken") for code in subcodes):
            raise ProbeFailure(f"SOAP fault: not authorized ({reason[:80]})")
        raise ProbeFailure(f"SOAP fault: {reason[:120]}")
    if response.status != 200:
        raise ProbeFailure(f"HTTP {response.status} {response.reason.lower()}".strip())
    return body


def _text(parent: ElementTree.Element, name: str) -> str:
    el = parent.find(f"{{{TDS}}}{name}")
    return (el.text or "").strip() if el is not None else ""


async def probe_onvif(url: str, username: str | None, password: str | None, timeout: float = 5.0) -> ProbeOutcome:
    """ONVIF GetSystemDateAndTime (no auth, gives the device clock) then GetDeviceInformation with a WS-Security
    UsernameToken digest stamped in the device's time (devices reject tokens outside their clock window)."""

    async def body():
        target = _Target(url, ("http", "https"))
        auth = _Auth(username or target.user, password if username else (password or target.password))
        user, pw = auth.username, auth.password

        async def call(operation: str, security: str = "") -> ElementTree.Element:
            action = f"{TDS}/{operation}"
            response = await _http_request(
                target, "POST", auth, payload=_envelope(operation, security), limit=MAX_SOAP_BODY,
                headers=f'Content-Type: application/soap+xml; charset=utf-8; action="{action}"\r\n',
            )
            return _soap_body(response)

        offset = timedelta(0)
        clock = ""
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
                    clock = f", clock {offset.total_seconds():+.0f} s"
            elif answer.find(f"{{{TDS}}}GetSystemDateAndTimeResponse") is None:
                raise ProbeFailure("not ONVIF (no GetSystemDateAndTimeResponse)")
        except ProbeFailure as exc:
            if not str(exc).startswith("SOAP fault"):  # some devices want auth even here: go on with our clock
                raise
        except (AttributeError, TypeError, ValueError):
            pass  # an unreadable clock: use ours
        security = username_token(user, pw, datetime.now(timezone.utc) + offset) if user else ""
        answer = await call("GetDeviceInformation", security)
        info = answer.find(f"{{{TDS}}}GetDeviceInformationResponse")
        if info is None:
            raise ProbeFailure("not ONVIF (no GetDeviceInformationResponse)")
        manufacturer, model, firmware = _text(info, "Manufacturer"), _text(info, "Model"), _text(info, "FirmwareVersion")
        serial = _text(info, "SerialNumber")
        parts = [p for p in (manufacturer, model) if p]
        if firmware:
            parts.append(f"fw {firmware}")
        if serial:
            parts.append(f"s/n {serial}")
        return "ONVIF " + (" ".join(parts) or "device") + clock

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
    user, pw = spec.username or None, spec.password or None
    jobs = []
    if spec.stream_url:
        jobs.append(probe_rtsp(spec.stream_url, user, pw, timeout))
    if spec.snapshot_url:
        jobs.append(probe_http_snapshot(spec.snapshot_url, user, pw, timeout))
    if spec.onvif_url:
        jobs.append(probe_onvif(spec.onvif_url, user, pw, timeout))
    target = tcp_target(spec)
    if target:
        jobs.append(probe_tcp(target[0], target[1], tcp_timeout))
    if not jobs:
        return [ProbeOutcome(TCP, False, None, "nothing to probe (no URL, host or port)")]
    return list(await asyncio.gather(*jobs))


def device_state(outcomes: list[ProbeOutcome]) -> tuple[str, str]:
    """("up" | "degraded" | "down", detail) from probe_device's outcomes: the strongest configured probe decides
    (see the module docstring)."""
    if not outcomes:
        return "down", "nothing probed"
    ordered = sorted(outcomes, key=lambda o: STRENGTH.index(o.kind) if o.kind in STRENGTH else len(STRENGTH))
    strongest = ordered[0]
    failing = [o for o in ordered if not o.ok]
    if strongest.ok:
        notes = "; ".join(f"{o.kind.upper()}: {o.detail}" for o in failing)
        return "up", (strongest.detail + (f" (but {notes})" if notes else ""))[:DETAIL_MAX]
    working = [o for o in ordered[1:] if o.ok and o.kind != TCP]
    reason = f"{strongest.kind.upper()}: {strongest.detail}"
    if working:
        return "degraded", f"{reason}; {working[0].kind.upper()} works: {working[0].detail}"[:DETAIL_MAX]
    tcp = [o for o in ordered[1:] if o.kind == TCP and o.ok]
    return "down", (reason + (" (port open)" if tcp else ""))[:DETAIL_MAX]


async def probe_many(specs: list[DeviceSpec], concurrency: int = 200, timeout: float = 5.0) -> list[list[ProbeOutcome]]:
    """probe_device over many devices with at most `concurrency` devices in flight (for benchmarks and tools)."""
    gate = asyncio.Semaphore(concurrency)

    async def one(spec):
        async with gate:
            return await probe_device(spec, timeout=timeout)

    return list(await asyncio.gather(*(one(s) for s in specs)))
