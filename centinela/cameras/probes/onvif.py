"""The ONVIF probe: SOAP over `http_request`, GetSystemDateAndTime for the device clock, then GetDeviceInformation
with a WS-Security `username_token` stamped in the device's time; `_soap_body` reads answers and faults."""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

from centinela.cameras.probes.auth import Authenticator
from centinela.cameras.probes.http import http_request
from centinela.cameras.probes.outcome import ONVIF, ProbeFailure, ProbeOutcome, run_probe
from centinela.cameras.probes.wire import Response, Target

MAX_SOAP_BODY = 256 * 1024

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
    stamp = created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{created.microsecond // 1000:03d}Z"
    digest = base64.b64encode(hashlib.sha1(nonce + stamp.encode() + password.encode()).digest()).decode()
    return (
        f'<wsse:Security s:mustUnderstand="1" xmlns:wsse="{WSSE}" xmlns:wsu="{WSU}"><wsse:UsernameToken>'
        f"<wsse:Username>{_xml_escape(username)}</wsse:Username>"
        f'<wsse:Password Type="{PASSWORD_DIGEST}">{digest}</wsse:Password>'
        f'<wsse:Nonce EncodingType="{BASE64_BINARY}">{base64.b64encode(nonce).decode()}</wsse:Nonce>'
        f"<wsu:Created>{stamp}</wsu:Created></wsse:UsernameToken></wsse:Security>"
    )


def _envelope(operation: str, security: str = "") -> bytes:
    header = f"<s:Header>{security}</s:Header>" if security else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="{SOAP12}" xmlns:tds="{TDS}">'
        f"{header}<s:Body><tds:{operation}/></s:Body></s:Envelope>"
    ).encode()


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


async def probe_onvif(
    url: str, username: str | None, password: str | None, timeout: float = 5.0, *, policy=None, auth_scheme: str = ""
) -> ProbeOutcome:
    """ONVIF GetSystemDateAndTime (no auth, gives the device clock) then GetDeviceInformation with a WS-Security
    UsernameToken digest stamped in the device's time (devices reject tokens outside their clock window)."""

    async def body():
        target = Target(url, ("http", "https"))
        auth = Authenticator(username, password, auth_scheme)  # never a user:pass@ written in the URL
        user, pw = auth.username, auth.password

        async def call(operation: str, security: str = "") -> ElementTree.Element:
            action = f"{TDS}/{operation}"
            response = await http_request(
                target,
                "POST",
                auth,
                payload=_envelope(operation, security),
                limit=MAX_SOAP_BODY,
                policy=policy,
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
                device_now = datetime(
                    value(d, "Year"),
                    value(d, "Month"),
                    value(d, "Day"),
                    value(t, "Hour"),
                    value(t, "Minute"),
                    value(t, "Second"),
                    tzinfo=UTC,
                )
                offset = device_now - datetime.now(UTC)
                if abs(offset.total_seconds()) > 5:
                    clock = round(offset.total_seconds())
            elif answer.find(f"{{{TDS}}}GetSystemDateAndTimeResponse") is None:
                raise ProbeFailure("not_onvif", operation="GetSystemDateAndTimeResponse")
        except ProbeFailure as exc:
            if exc.code not in (
                "soap_fault",
                "soap_unauthorized",
            ):  # some devices want auth even here: go on with our clock
                raise
        except (AttributeError, TypeError, ValueError):
            pass  # an unreadable clock: use ours
        security = username_token(user, pw, datetime.now(UTC) + offset) if user else ""
        answer = await call("GetDeviceInformation", security)
        info = answer.find(f"{{{TDS}}}GetDeviceInformationResponse")
        if info is None:
            raise ProbeFailure("not_onvif", operation="GetDeviceInformationResponse")
        manufacturer, model, firmware = (
            _text(info, "Manufacturer"),
            _text(info, "Model"),
            _text(info, "FirmwareVersion"),
        )
        serial = _text(info, "SerialNumber")
        parts = [p for p in (manufacturer, model) if p]
        if firmware:
            parts.append(f"fw {firmware}")
        if serial:
            parts.append(f"s/n {serial}")
        return "onvif_ok", {"info": (" ".join(parts) or "device")[:200], "clock": clock, "auth": auth.scheme or ""}

    return await run_probe(ONVIF, timeout, body)
