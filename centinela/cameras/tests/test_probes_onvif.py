"""ONVIF probe against a tiny SOAP server written here (GetSystemDateAndTime without auth, GetDeviceInformation
behind a WS-Security UsernameToken whose digest it checks on its own) and against the simulator."""

import asyncio
import base64
import hashlib
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.etree import ElementTree

import pytest

from centinela.cameras.probes import DeviceSpec, device_state, probe_device, probe_onvif
from centinela.cameras.simulator import Simulator

USER, PASSWORD = "onvif-user", "pass<&>word"
ENV = "http://www.w3.org/2003/05/soap-envelope"
SEC = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
UTIL = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
NS = (
    f'xmlns:env="{ENV}" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" '
    'xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:ter="http://www.onvif.org/ver10/error"'
)


def envelope(body: str) -> bytes:
    return f'<?xml version="1.0"?><env:Envelope {NS}><env:Body>{body}</env:Body></env:Envelope>'.encode()


FAULT_NOT_AUTHORIZED = envelope(
    "<env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>ter:NotAuthorized</env:Value>"
    '</env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">Sender not Authorized</env:Text></env:Reason>'
    "</env:Fault>"
)


class SoapCamera:
    """A loopback ONVIF device service; `clock_offset` makes its clock wrong, `mode` makes it misbehave."""

    def __init__(self, clock_offset=timedelta(0), mode="ok"):
        self.clock_offset, self.mode, self.seen = clock_offset, mode, []
        camera = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                camera.seen.append(self.headers.get("Content-Type", ""))
                status, body, ctype = camera.answer(data)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/onvif/device_service"

    def now(self):
        return datetime.now(UTC) + self.clock_offset

    def token_ok(self, root) -> bool:
        token = root.find(f"{{{ENV}}}Header/{{{SEC}}}Security/{{{SEC}}}UsernameToken")
        if token is None:
            return False
        password = token.find(f"{{{SEC}}}Password")
        if not password.get("Type", "").endswith("#PasswordDigest"):
            return False
        nonce = base64.b64decode(token.findtext(f"{{{SEC}}}Nonce"))
        created = token.findtext(f"{{{UTIL}}}Created")
        when = datetime.strptime(created, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        if abs((when - self.now()).total_seconds()) > 60:  # devices reject tokens outside their clock window
            return False
        digest = base64.b64encode(hashlib.sha1(nonce + created.encode() + PASSWORD.encode()).digest()).decode()
        return token.findtext(f"{{{SEC}}}Username") == USER and password.text == digest

    def answer(self, data: bytes):
        soap = "application/soap+xml; charset=utf-8"
        if self.mode == "html":
            return 200, b"<html><body>Login</body></html", "text/html"
        if self.mode == "fault":
            return (
                500,
                envelope(
                    "<env:Fault><env:Code><env:Value>env:Receiver</env:Value></env:Code><env:Reason>"
                    "<env:Text>Internal error</env:Text></env:Reason></env:Fault>"
                ),
                soap,
            )
        if self.mode == "dtd":  # entity expansion ("billion laughs") must never be attempted
            return (
                200,
                (
                    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
                    b"<lolz>&lol2;</lolz>"
                ),
                soap,
            )
        if self.mode == "not-soap":
            return 200, b'<?xml version="1.0"?><result>ok</result>', "text/xml"
        root = ElementTree.fromstring(data)
        operation = root.find(f"{{{ENV}}}Body")[0].tag.split("}")[1]
        if operation == "GetSystemDateAndTime":
            n = self.now()
            return (
                200,
                envelope(
                    "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>Manual</tt:DateTimeType>"
                    f"<tt:UTCDateTime><tt:Time><tt:Hour>{n.hour}</tt:Hour><tt:Minute>{n.minute}</tt:Minute><tt:Second>"
                    f"{n.second}</tt:Second></tt:Time><tt:Date><tt:Year>{n.year}</tt:Year><tt:Month>{n.month}</tt:Month>"
                    f"<tt:Day>{n.day}</tt:Day></tt:Date></tt:UTCDateTime></tds:SystemDateAndTime>"
                    "</tds:GetSystemDateAndTimeResponse>"
                ),
                soap,
            )
        if operation == "GetDeviceInformation":
            if not self.token_ok(root):
                return 400, FAULT_NOT_AUTHORIZED, soap
            return (
                200,
                envelope(
                    "<tds:GetDeviceInformationResponse><tds:Manufacturer>HIKVISION</tds:Manufacturer>"
                    "<tds:Model>DS-2CD2143G2-I</tds:Model><tds:FirmwareVersion>V5.7.3 build "
                    "220112</tds:FirmwareVersion>"
                    "<tds:SerialNumber>DS-2CD2143G2-I20220301AAWRJ12345678</tds:SerialNumber>"
                    "<tds:HardwareId>88</tds:HardwareId></tds:GetDeviceInformationResponse>"
                ),
                soap,
            )
        return 400, FAULT_NOT_AUTHORIZED, soap

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def camera():
    cams = []

    def make(**kwargs):
        cams.append(SoapCamera(**kwargs))
        return cams[-1]

    yield make
    for cam in cams:
        cam.close()


def run(coro):
    return asyncio.run(coro)


def test_device_information_with_a_username_token(camera):
    cam = camera()
    outcome = run(probe_onvif(cam.url, USER, PASSWORD, timeout=5))
    assert outcome.ok, outcome
    assert outcome.detail == (
        "ONVIF HIKVISION DS-2CD2143G2-I fw V5.7.3 build 220112 s/n DS-2CD2143G2-I20220301AAWRJ12345678"
    )
    assert all(ct.startswith("application/soap+xml") for ct in cam.seen)


def test_the_token_is_stamped_in_the_device_clock(camera):
    cam = camera(clock_offset=timedelta(hours=-5, seconds=30))  # a camera left on local time
    outcome = run(probe_onvif(cam.url, USER, PASSWORD, timeout=5))
    assert outcome.ok, outcome
    skew = int(outcome.detail.rsplit("clock ", 1)[1].removesuffix(" s"))
    assert abs(skew - -17970) <= 2  # the device gives whole seconds


def test_a_wrong_password_is_a_not_authorized_fault(camera):
    outcome = run(probe_onvif(camera().url, USER, "wrong", timeout=5))
    assert (outcome.ok, outcome.detail) == (False, "SOAP fault: not authorized (Sender not Authorized)")


def test_faults_and_non_soap_answers_fail(camera):
    assert run(probe_onvif(camera(mode="fault").url, USER, PASSWORD)).detail == "SOAP fault: Internal error"
    assert run(probe_onvif(camera(mode="html").url, USER, PASSWORD)).detail == "not XML (HTTP 200)"
    assert run(probe_onvif(camera(mode="not-soap").url, USER, PASSWORD)).detail == "not SOAP"
    assert run(probe_onvif(camera(mode="dtd").url, USER, PASSWORD)).detail == "not SOAP (DTD refused)"


def test_an_onvif_only_device_is_up(camera):
    outcomes = run(probe_device(DeviceSpec(onvif_url=camera().url, username=USER, password=PASSWORD)))
    assert [o.kind for o in outcomes] == ["onvif", "tcp"]
    assert device_state(outcomes)[0] == "up"


@pytest.mark.parametrize("auth", [None, "digest"])
def test_the_simulator_answers_the_same_way(auth):
    sim = Simulator(cameras=3, auth=auth, username=USER, password=PASSWORD).start_in_thread()
    try:
        good = run(probe_onvif(sim.onvif_url(2), USER, PASSWORD, timeout=5))
        bad = run(probe_onvif(sim.onvif_url(2), USER, "wrong", timeout=5))
    finally:
        sim.stop_thread()
    assert good.ok and good.detail == "ONVIF Centinela SimCam-1 fw 1.0.0 s/n SIM00002"
    if auth:
        assert (bad.ok, bad.detail) == (False, "SOAP fault: not authorized (Sender not authorized)")
