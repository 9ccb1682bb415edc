"""A loopback camera simulator of the project's own: N cameras answering RTSP OPTIONS/DESCRIBE (an SDP with a
video stream), HTTP snapshot GETs (a real JPEG) and ONVIF GetSystemDateAndTime/GetDeviceInformation, with optional
basic or digest authentication and a failure schedule per camera. It keeps the demo network alive without any
system package, and the probe tests hold it to the same assertions as GStreamer's RTSP server so it cannot drift.

Layout. One asyncio server on one port answers every camera, by path (RTSP and HTTP are told apart by the request
line, so one port serves both):
    rtsp://127.0.0.1:PORT/cam/K                        the stream (K = 0 .. cameras-1)
    http://127.0.0.1:PORT/cam/K/snapshot.jpg           the snapshot
    http://127.0.0.1:PORT/cam/K/onvif/device_service   ONVIF device service
    http://127.0.0.1:PORT/_sim/status                  JSON: every camera's mode now
    http://127.0.0.1:PORT/_sim/mode?cam=K&mode=M       force camera K to ok|down|hang, or back to its schedule (auto)
That scales to the 5,000-device benchmark on a single port. With port_per_camera=True camera K listens on a port
of its own (base_port + 1 + K, or any free port when base_port is 0) as well, serving the same paths, which is closer
to real cameras: a camera that is down
closes its listener (connection refused) and a TCP-only check sees it too.

Modes. "ok" answers; "down" resets the connection as soon as the request arrives (shared port) or refuses it (own
port); "hang" accepts and never answers. A camera's mode is, in order: a forced mode (set_mode or /_sim/mode),
"hang" if listed in hang, "down" if listed in failing, "down" during its cycle (down the first D seconds of every
P seconds) or its minutes of each hour, else "ok". Only loopback addresses are allowed.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import io
import json
import os
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from ipaddress import ip_address
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

OK, DOWN, HANG = "ok", "down", "hang"
MODES = (OK, DOWN, HANG)
REALM = "Centinela camera simulator"
MAX_HEAD = 16 * 1024
MAX_BODY = 64 * 1024

_jpeg_cache: bytes | None = None


def snapshot_jpeg() -> bytes:
    """A real 320x240 JPEG (colour bars and a gradient), made once with Pillow."""
    global _jpeg_cache
    if _jpeg_cache is None:
        from PIL import Image, ImageDraw

        img = Image.new("RGB", (320, 240))
        draw = ImageDraw.Draw(img)
        bars = [(192, 192, 192), (192, 192, 0), (0, 192, 192), (0, 192, 0), (192, 0, 192), (192, 0, 0), (0, 0, 192)]
        for i, colour in enumerate(bars):
            draw.rectangle([i * 320 // 7, 0, (i + 1) * 320 // 7, 160], fill=colour)
        for x in range(320):
            draw.line([x, 160, x, 240], fill=(x * 255 // 320, 128, 255 - x * 255 // 320))
        draw.text((10, 200), "Centinela simulator", fill=(255, 255, 255))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=80)
        _jpeg_cache = buf.getvalue()
    return _jpeg_cache


def sdp(host: str, index: int) -> bytes:
    # The shape of GStreamer's answer for a JPEG test stream.
    return (
        "v=0\r\n"
        f"o=- {1000000 + index} 1 IN IP4 {host}\r\n"
        f"s=Centinela simulated camera {index}\r\n"
        "t=0 0\r\n"
        "a=control:*\r\n"
        "a=range:npt=now-\r\n"
        "m=video 0 RTP/AVP 26\r\n"
        "c=IN IP4 0.0.0.0\r\n"
        "a=rtpmap:26 JPEG/90000\r\n"
        "a=framerate:5\r\n"
        "a=control:stream=0\r\n"
    ).encode()


@dataclass
class Request:
    method: str
    target: str
    protocol: str
    headers: dict[str, str]
    body: bytes = b""


async def _read_request(reader: asyncio.StreamReader) -> Request | None:
    try:
        line = await reader.readuntil(b"\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        return None
    parts = line.decode("latin-1").split()
    if len(parts) != 3:
        return None
    headers: dict[str, str] = {}
    size = len(line)
    while True:
        try:
            line = await reader.readuntil(b"\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            return None
        size += len(line)
        if size > MAX_HEAD:
            return None
        line = line.rstrip(b"\r\n")
        if not line:
            break
        key, _, value = line.decode("latin-1").partition(":")
        headers[key.strip().lower()] = value.strip()
    body = b""
    length = headers.get("content-length", "0")
    if length.isdigit() and 0 < int(length) <= MAX_BODY:
        try:
            body = await reader.readexactly(int(length))
        except (asyncio.IncompleteReadError, ConnectionError):
            return None
    return Request(parts[0].upper(), parts[1], parts[2].upper(), headers, body)


def _is_loopback(host: str) -> bool:
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@dataclass
class Simulator:
    cameras: int = 40
    host: str = "127.0.0.1"
    base_port: int = 0  # 0: any free port
    port_per_camera: bool = False
    failing: set[int] = field(default_factory=set)
    hang: set[int] = field(default_factory=set)
    cycles: dict[int, tuple[float, float]] = field(default_factory=dict)  # camera -> (period s, down s)
    down_minutes: dict[int, set[int]] = field(default_factory=dict)  # camera -> minutes of each hour
    auth: str | None = None  # None | "basic" | "digest"
    username: str = "admin"
    password: str = "centinela"
    manufacturer: str = "Centinela"
    clock: callable = time.time

    def __post_init__(self):
        if not _is_loopback(self.host):
            raise ValueError("the camera simulator listens on loopback only")
        if self.auth not in (None, "basic", "digest"):
            raise ValueError("auth is None, 'basic' or 'digest'")
        self.failing, self.hang = set(self.failing), set(self.hang)
        self.forced: dict[int, str] = {}
        self.port: int | None = None
        self.camera_ports: dict[int, int] = {}
        self.requests = 0  # answered requests, for benchmarks
        self._servers: dict[int | None, asyncio.base_events.Server] = {}
        self._secret = os.urandom(16)
        self._ticker: asyncio.Task | None = None
        self._hung: set[asyncio.StreamWriter] = set()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # ------------------------------------------------------------------------------------------ behaviour

    def mode(self, index: int, now: float | None = None) -> str:
        if index in self.forced:
            return self.forced[index]
        if index in self.hang:
            return HANG
        if index in self.failing:
            return DOWN
        now = self.clock() if now is None else now
        if index in self.cycles:
            period, down = self.cycles[index]
            if period > 0 and now % period < down:
                return DOWN
        if index in self.down_minutes and int(now // 60) % 60 in self.down_minutes[index]:
            return DOWN
        return OK

    def set_mode(self, index: int, mode: str | None) -> None:
        """Force a camera to ok/down/hang; None or "auto" gives it back to its schedule."""
        if mode in (None, "auto"):
            self.forced.pop(index, None)
        elif mode in MODES:
            self.forced[index] = mode
        else:
            raise ValueError(f"mode is one of {MODES} or auto")

    def _port_of(self, index: int) -> int:
        return self.camera_ports.get(index, self.port) if self.port_per_camera else self.port

    def stream_url(self, index: int) -> str:
        return f"rtsp://{self.host}:{self._port_of(index)}/cam/{index}"

    def snapshot_url(self, index: int) -> str:
        return f"http://{self.host}:{self._port_of(index)}/cam/{index}/snapshot.jpg"

    def onvif_url(self, index: int) -> str:
        return f"http://{self.host}:{self._port_of(index)}/cam/{index}/onvif/device_service"

    @property
    def ports(self) -> list[int]:
        return [self.port] + [self.camera_ports[i] for i in sorted(self.camera_ports)]

    # ------------------------------------------------------------------------------------------ lifecycle

    async def start(self) -> Simulator:
        server = await asyncio.start_server(
            lambda r, w: self._serve(r, w, None),
            self.host,
            self.base_port,
            limit=MAX_HEAD,
            backlog=4096,
            reuse_address=True,
        )
        self._servers[None] = server
        self.port = server.sockets[0].getsockname()[1]
        if self.port_per_camera:
            for index in range(self.cameras):
                wanted = self.base_port + 1 + index if self.base_port else 0
                await self._listen(index, wanted)
            await self._apply_schedule()
            self._ticker = asyncio.create_task(self._tick())
        return self

    async def _listen(self, index: int, port: int) -> None:
        server = await asyncio.start_server(
            lambda r, w: self._serve(r, w, index), self.host, port, limit=MAX_HEAD, reuse_address=True
        )
        self._servers[index] = server
        self.camera_ports[index] = server.sockets[0].getsockname()[1]

    async def _apply_schedule(self) -> None:
        """Own-port mode: a camera that is down closes its listener (connection refused) and reopens it after."""
        now = self.clock()
        for index in range(self.cameras):
            down = self.mode(index, now) == DOWN
            server = self._servers.get(index)
            try:
                if down and server is not None:
                    server.close()
                    del self._servers[index]
                elif not down and server is None:
                    await self._listen(index, self.camera_ports[index])
            except OSError:
                pass  # the port is briefly unavailable: next tick

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(0.2)
            await self._apply_schedule()

    async def stop(self) -> None:
        if self._ticker:
            self._ticker.cancel()
        for server in self._servers.values():
            server.close()
        for writer in list(self._hung):
            writer.transport.abort()
        for server in list(self._servers.values()):
            try:
                await asyncio.wait_for(server.wait_closed(), 2)
            except (TimeoutError, Exception):  # noqa: BLE001 - best effort on the way out
                pass
        self._servers.clear()

    def start_in_thread(self) -> Simulator:
        """Run the simulator on its own event loop in a daemon thread (for synchronous tests and the demo);
        returns once it listens. stop_thread() ends it."""
        ready = threading.Event()
        errors: list[BaseException] = []

        def run():
            self._loop = asyncio.new_event_loop()
            try:
                self._loop.run_until_complete(self.start())
            except BaseException as exc:  # noqa: BLE001 - reported to the caller
                errors.append(exc)
                ready.set()
                return
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self.stop())
            self._loop.close()

        self._thread = threading.Thread(target=run, name="camera-simulator", daemon=True)
        self._thread.start()
        ready.wait(10)
        if errors:
            raise errors[0]
        return self

    def stop_thread(self) -> None:
        if self._loop and self._thread:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)

    # ------------------------------------------------------------------------------------------ serving

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, own: int | None) -> None:
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    return
                index = self._camera_of(request.target)
                if index is not None and (own is None or own == index):
                    mode = self.mode(index)
                    if mode == DOWN:
                        _reset(writer)
                        return
                    if mode == HANG:
                        await self._hold(reader, writer)
                        return
                response = self._answer(request, index if own is None or own == index else None)
                self.requests += 1
                writer.write(response)
                await writer.drain()
                if request.headers.get("connection", "").lower() == "close" or request.protocol == "HTTP/1.0":
                    return
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _hold(self, reader, writer) -> None:
        self._hung.add(writer)
        try:
            while await reader.read(4096):
                pass
        finally:
            self._hung.discard(writer)

    def _camera_of(self, target: str) -> int | None:
        path = urlsplit(target).path if "://" in target else target.split("?")[0]
        parts = path.strip("/").split("/")
        if len(parts) >= 2 and parts[0] == "cam" and parts[1].isdigit() and int(parts[1]) < self.cameras:
            return int(parts[1])
        return None

    def _answer(self, request: Request, index: int | None) -> bytes:
        if request.protocol.startswith("RTSP/"):
            return self._rtsp(request, index)
        return self._http(request, index)

    def _rtsp(self, request: Request, index: int | None) -> bytes:
        cseq = request.headers.get("cseq", "0")

        def reply(status: str, headers: str = "", body: bytes = b"") -> bytes:
            head = f"RTSP/1.0 {status}\r\nCSeq: {cseq}\r\nServer: {REALM}\r\n{headers}"
            if body:
                head += f"Content-Length: {len(body)}\r\n"
            return (head + "\r\n").encode() + body

        if request.method == "OPTIONS":
            return reply("200 OK", "Public: OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER\r\n")
        if request.method != "DESCRIBE":
            return reply("405 Method Not Allowed", "Allow: OPTIONS, DESCRIBE\r\n")
        if index is None:
            return reply("404 Not Found")
        if not self._authorized(request):
            return reply("401 Unauthorized", self._challenge())
        return reply(
            "200 OK", f"Content-Type: application/sdp\r\nContent-Base: {request.target}/\r\n", sdp(self.host, index)
        )

    def _http(self, request: Request, index: int | None) -> bytes:
        def reply(status: str, ctype: str = "text/plain; charset=utf-8", body: bytes = b"", headers: str = "") -> bytes:
            head = (
                f"HTTP/1.1 {status}\r\nServer: {REALM}\r\nContent-Type: {ctype}\r\n"
                f"Content-Length: {len(body)}\r\n{headers}"
            )
            return (head + "\r\n").encode() + body

        parts = urlsplit(request.target)
        path = parts.path
        if path == "/_sim/status":
            now = self.clock()
            body = json.dumps({"cameras": self.cameras, "modes": {i: self.mode(i, now) for i in range(self.cameras)}})
            return reply("200 OK", "application/json", body.encode())
        if path == "/_sim/mode":
            query = parse_qs(parts.query)
            try:
                self.set_mode(int(query["cam"][0]), query.get("mode", ["auto"])[0])
            except (KeyError, ValueError, IndexError):
                return reply("400 Bad Request", body=b"cam=K&mode=ok|down|hang|auto\n")
            return reply("200 OK", body=b"ok\n")
        if index is None:
            return reply("404 Not Found", body=b"not found\n")
        if path.endswith("/snapshot.jpg") and request.method in ("GET", "HEAD"):
            if not self._authorized(request):
                return reply("401 Unauthorized", headers=self._challenge(), body=b"unauthorized\n")
            body = snapshot_jpeg()
            return reply("200 OK", "image/jpeg", body if request.method == "GET" else b"")
        if path.endswith("/onvif/device_service") and request.method == "POST":
            status, body = self._onvif(request, index)
            return reply(status, "application/soap+xml; charset=utf-8", body)
        return reply("404 Not Found", body=b"not found\n")

    # ------------------------------------------------------------------------------------------ auth

    def _nonce(self) -> str:
        stamp = f"{int(self.clock()):x}"
        return stamp + hmac.new(self._secret, stamp.encode(), "sha256").hexdigest()[:16]

    def _challenge(self) -> str:
        if self.auth == "basic":
            return f'WWW-Authenticate: Basic realm="{REALM}"\r\n'
        return f'WWW-Authenticate: Digest realm="{REALM}", nonce="{self._nonce()}", qop="auth", algorithm=MD5\r\n'

    def _authorized(self, request: Request) -> bool:
        if self.auth is None:
            return True
        value = request.headers.get("authorization", "")
        scheme, _, rest = value.partition(" ")
        if self.auth == "basic":
            expected = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
            return scheme.lower() == "basic" and hmac.compare_digest(rest.strip(), expected)
        if scheme.lower() != "digest":
            return False
        params = {}
        for item in _split_params(rest):
            key, _, val = item.partition("=")
            params[key.strip().lower()] = val.strip().strip('"')
        nonce = params.get("nonce", "")
        stamp = nonce[:-16]
        if not stamp or not hmac.compare_digest(
            nonce[-16:], hmac.new(self._secret, stamp.encode(), "sha256").hexdigest()[:16]
        ):
            return False
        if params.get("username") != self.username:
            return False
        md5 = lambda s: hashlib.md5(s.encode()).hexdigest()  # noqa: E731
        ha1 = md5(f"{self.username}:{REALM}:{self.password}")
        ha2 = md5(f"{request.method}:{params.get('uri', '')}")
        if params.get("qop") == "auth":
            expected = md5(f"{ha1}:{nonce}:{params.get('nc', '')}:{params.get('cnonce', '')}:auth:{ha2}")
        else:
            expected = md5(f"{ha1}:{nonce}:{ha2}")
        return hmac.compare_digest(params.get("response", ""), expected)

    # ------------------------------------------------------------------------------------------ ONVIF

    def _onvif(self, request: Request, index: int) -> tuple[str, bytes]:
        try:
            root = ElementTree.fromstring(request.body)
            body = root.find(f"{{{SOAP12}}}Body")
            operation = body[0].tag.split("}")[-1]
        except (ElementTree.ParseError, TypeError, IndexError, AttributeError):
            return "400 Bad Request", _fault("env:Sender", "ter:WellFormed", "not a SOAP 1.2 message")
        if operation == "GetSystemDateAndTime":
            now = datetime.fromtimestamp(self.clock(), UTC)
            return "200 OK", _soap(
                "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType>"
                "<tt:DaylightSavings>false</tt:DaylightSavings><tt:TimeZone><tt:TZ>UTC+05:00</tt:TZ></tt:TimeZone>"
                f"<tt:UTCDateTime><tt:Time><tt:Hour>{now.hour}</tt:Hour><tt:Minute>{now.minute}</tt:Minute>"
                f"<tt:Second>{now.second}</tt:Second></tt:Time><tt:Date><tt:Year>{now.year}</tt:Year>"
                f"<tt:Month>{now.month}</tt:Month><tt:Day>{now.day}</tt:Day></tt:Date></tt:UTCDateTime>"
                "</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>"
            )
        if operation == "GetDeviceInformation":
            if self.auth is not None and not self._token_valid(root):
                return "400 Bad Request", _fault("env:Sender", "ter:NotAuthorized", "Sender not authorized")
            return "200 OK", _soap(
                f"<tds:GetDeviceInformationResponse><tds:Manufacturer>{self.manufacturer}</tds:Manufacturer>"
                "<tds:Model>SimCam-1</tds:Model><tds:FirmwareVersion>1.0.0</tds:FirmwareVersion>"
                f"<tds:SerialNumber>SIM{index:05d}</tds:SerialNumber><tds:HardwareId>sim</tds:HardwareId>"
                "</tds:GetDeviceInformationResponse>"
            )
        return "400 Bad Request", _fault("env:Receiver", "ter:ActionNotSupported", f"{operation} not supported")

    def _token_valid(self, root) -> bool:
        token = root.find(f".//{{{WSSE}}}UsernameToken")
        if token is None:
            return False
        try:
            user = token.find(f"{{{WSSE}}}Username").text or ""
            digest = token.find(f"{{{WSSE}}}Password").text or ""
            nonce = base64.b64decode(token.find(f"{{{WSSE}}}Nonce").text or "")
            created = token.find(f"{{{WSU}}}Created").text or ""
            stamp = datetime.fromisoformat(created.replace("Z", "+00:00")).timestamp()
        except (AttributeError, ValueError):
            return False
        if user != self.username or abs(stamp - self.clock()) > 300:
            return False
        expected = base64.b64encode(hashlib.sha1(nonce + created.encode() + self.password.encode()).digest()).decode()
        return hmac.compare_digest(digest, expected)


SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
_NS = (
    f'xmlns:env="{SOAP12}" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" '
    'xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:ter="http://www.onvif.org/ver10/error"'
)


def _soap(body: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><env:Envelope {_NS}><env:Body>{body}</env:Body></env:Envelope>'.encode()
    )


def _fault(code: str, subcode: str, reason: str) -> bytes:
    return _soap(
        f"<env:Fault><env:Code><env:Value>{code}</env:Value><env:Subcode><env:Value>{subcode}</env:Value>"
        f'</env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">{reason}</env:Text></env:Reason>'
        "</env:Fault>"
    )


def _split_params(s: str) -> list[str]:
    """Split 'a="x, y", b=z' on the commas outside quotes."""
    out, cur, quoted = [], [], False
    for ch in s:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    if cur:
        out.append("".join(cur))
    return [p for p in (x.strip() for x in out) if p]


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP RST (SO_LINGER 0), as a crashing camera or a firewall reject does."""
    sock = writer.get_extra_info("socket")
    try:
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    writer.transport.abort()


def parse_indices(text: str) -> set[int]:
    """'3,7,10-12' -> {3, 7, 10, 11, 12}."""
    out: set[int] = set()
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            if "-" in part:
                a, b = part.split("-", 1)
                out.update(range(int(a), int(b) + 1))
            else:
                out.add(int(part))
        except ValueError:
            raise ValueError(f"cannot read camera numbers {part!r} (e.g. 3,7,10-12)") from None
    return out


async def start_simulator(**options) -> Simulator:
    """Start a simulator on the running loop; returns it listening (sim.host, sim.port, sim.ports, sim.*_url(k))."""
    return await Simulator(**options).start()
