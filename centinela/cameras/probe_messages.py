"""Probe results in words for people: the one place where a probe's reason code (probes.REASONS) becomes a
sentence in the site's language (settings.LANGUAGE_CODE). The monitor stores these sentences wherever a person
reads them: the camera page (last_detail, probe history), the automatic ticket, the outage and lifecycle reason
(and so the ECU 911 status CSV), the alert e-mails and webhooks.

Those sentences are read by every role that sees the camera, so they never name how to reach it: no host, address
or port (the network managers find those on the camera's own fields). `describe` leaves the port out of its
sentences and `scrub` takes addresses out of the free text some codes carry (a system error, a TLS error);
`ProbeOutcome.detail`, the English text for logs, keeps them."""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.cameras.probes import DETAIL_MAX, ProbeOutcome, device_state

MESSAGES = {
    # failures
    "closed_no_answer": gettext_lazy("the connection closed without an answer"),
    "closed_mid_answer": gettext_lazy("the connection closed in the middle of the answer"),
    "closed_mid_body": gettext_lazy("the connection closed in the middle of the answer"),
    "not_protocol": gettext_lazy("the answer is not %(protocol)s"),
    "wrong_protocol": gettext_lazy("the answer is not %(protocol)s (it answered %(other)s)"),
    "bad_status_line": gettext_lazy("the answer is not %(protocol)s (malformed status line)"),
    "bad_header": gettext_lazy("the answer is not %(protocol)s (malformed header)"),
    "header_too_long": gettext_lazy("the answer's headers are too long"),
    "bad_chunked": gettext_lazy("malformed answer (chunked body)"),
    "bad_length": gettext_lazy("malformed answer (Content-Length)"),
    "too_large": gettext_lazy("answer too large (more than %(limit)s bytes)"),
    "malformed_url": gettext_lazy("malformed URL"),
    "refused": gettext_lazy("connection refused"),
    "reset": gettext_lazy("the camera cut the connection"),
    "timeout": gettext_lazy("no answer in %(seconds)s s"),
    "timeout_plain": gettext_lazy("no answer in time"),
    "unknown_host": gettext_lazy("server not found (unknown name)"),
    "unreachable": gettext_lazy("server unreachable (no network route)"),
    "network": gettext_lazy("network error: %(error)s"),
    "tls": gettext_lazy("TLS error: %(error)s"),
    "error": gettext_lazy("unexpected error: %(error)s"),
    "bad_credentials_chars": gettext_lazy("invalid credentials (control characters)"),
    "unauthorized": gettext_lazy("credentials rejected (401)"),
    "unauthorized_no_credentials": gettext_lazy("the camera asks for credentials and none are configured (401)"),
    "unauthorized_unsupported": gettext_lazy(
        "the camera asks for an authentication method Centinela does not support (401)"
    ),
    "unreadable_credentials": gettext_lazy("credentials unreadable: the encryption key changed"),
    "auth_downgrade": gettext_lazy(
        "refused: the camera asked for Basic authentication after Digest (password not sent)"
    ),
    "address_not_allowed": gettext_lazy("address not allowed to the monitor (CAMERA_ALLOWED_NETWORKS)"),
    "port_not_allowed": gettext_lazy("port not allowed to the monitor (CAMERA_ALLOWED_PORTS)"),
    "no_target": gettext_lazy("no host or port to probe"),
    "nothing_to_probe": gettext_lazy("nothing to probe (no URL, host or port)"),
    "options_status": gettext_lazy("the camera answered OPTIONS with %(status)s %(reason)s"),
    "status": gettext_lazy("the camera answered %(status)s %(reason)s"),
    "status_401": gettext_lazy("credentials rejected (401)"),
    "status_403": gettext_lazy("access forbidden (403)"),
    "status_404": gettext_lazy("not found on the camera (404)"),
    "http_status": gettext_lazy("the camera answered HTTP %(status)s %(reason)s"),
    "not_sdp": gettext_lazy("the answer to DESCRIBE is not SDP (%(ctype)s)"),
    "no_sdp": gettext_lazy("the answer to DESCRIBE has no SDP"),
    "no_video": gettext_lazy("the stream has no video"),
    "not_jpeg_type": gettext_lazy("not a JPEG image (type %(ctype)s)"),
    "not_jpeg": gettext_lazy("not a JPEG image"),
    "truncated_jpeg": gettext_lazy("incomplete JPEG image"),
    "too_small": gettext_lazy("image too small (%(size)s bytes)"),
    "soap_dtd": gettext_lazy("the answer is not ONVIF (DTD refused)"),
    "not_xml": gettext_lazy("the answer is not ONVIF (not XML, HTTP %(status)s)"),
    "not_soap": gettext_lazy("the answer is not ONVIF (not SOAP)"),
    "soap_no_body": gettext_lazy("the answer is not ONVIF (SOAP without a body)"),
    "soap_unauthorized": gettext_lazy("ONVIF credentials rejected (%(reason)s)"),
    "soap_fault": gettext_lazy("ONVIF error: %(reason)s"),
    "not_onvif": gettext_lazy("the answer is not ONVIF (no %(operation)s)"),
    "probe_error": gettext_lazy("probe error: %(error)s"),
    "probe_timeout": gettext_lazy("no answer in %(seconds)s s"),
    # successes
    "tcp_open": gettext_lazy("TCP port open"),
    "rtsp_ok": gettext_lazy("stream answers, video %(codec)s"),
    "rtsp_ok_auth": gettext_lazy("stream answers, video %(codec)s, %(auth)s authentication"),
    "jpeg_ok": gettext_lazy("JPEG image, %(kb)s kB"),
    "jpeg_ok_size": gettext_lazy("JPEG image %(width)sx%(height)s, %(kb)s kB"),
    "onvif_ok": gettext_lazy("ONVIF %(info)s"),
    "onvif_ok_clock": gettext_lazy("ONVIF %(info)s, clock off by %(clock)s s"),
}


# free text from the system or the camera may name where it connected: ('10.0.0.5', 554), 10.0.0.5:554, [fe80::1]:80,
# camara.lan:554, 'camara.lan' (a TLS name mismatch), "port 554"
_ADDRESS = re.compile(
    r"\(\s*'[^']*'\s*,\s*\d+[^)]*\)"  # a socket address tuple
    r"|'[^']*'|\"[^\"]*\""  # anything quoted (host names in TLS and resolver errors)
    r"|\[?\b(?:[0-9a-fA-F]{0,4}:){2,}[0-9a-fA-F]{0,4}\]?(?::\d+)?"  # IPv6
    r"|\b\d{1,3}(?:\.\d{1,3}){3}\b(?::\d+)?"  # IPv4
    r"|\b[\w-]+(?:\.[\w-]+)*:\d{1,5}\b"  # name:port
    r"|\bport\s+\d+",
    re.IGNORECASE,
)
FREE_TEXT = ("error",)  # params that carry text from outside Centinela


def scrub(text: str) -> str:
    """Free text without any address or port in it (what every role may read)."""
    return _ADDRESS.sub("…", str(text))


@functools.lru_cache(maxsize=8)
def _language(lang: str) -> tuple[dict, dict, str, str]:
    """The sentences, joining words and number separators of a language, looked up once (the monitor describes
    thousands of results a minute; activating a translation for each would cost more than the probes)."""
    with translation.override(lang):
        sentences = {code: str(message) for code, message in MESSAGES.items()}
        words = {
            "nothing": _("nothing was probed"),
            "but": _("%(detail)s (but %(notes)s)"),
            "works": _("%(reason)s; %(kind)s works: %(detail)s"),
            "port_open": _("%(reason)s (the port is open)"),
            "item": "%(kind)s: %(detail)s",
        }
        thousands = str(formats.get_format("THOUSAND_SEPARATOR", lang, use_l10n=True))
        decimal = str(formats.get_format("DECIMAL_SEPARATOR", lang, use_l10n=True))
    return sentences, words, thousands, decimal


def _number(value, decimals: int, thousands: str, decimal: str) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


def _variant(code: str, params: dict) -> str:
    """Some codes read better with a more precise sentence when a parameter says so."""
    if code in ("status", "http_status") and f"status_{params.get('status')}" in MESSAGES:
        return f"status_{params['status']}"
    if code == "timeout" and not params.get("seconds"):
        return "timeout_plain"
    if code == "rtsp_ok" and params.get("auth"):
        return "rtsp_ok_auth"
    if code == "jpeg_ok" and params.get("width"):
        return "jpeg_ok_size"
    if code == "onvif_ok" and params.get("clock"):
        return "onvif_ok_clock"
    return code


def describe(code: str, params: dict | None = None, fallback: str = "") -> str:
    """The sentence, in the site's language, for one result code and its params (fallback when unknown); it names
    no host, address or port, whoever reads it."""
    params = dict(params or {})
    sentences, _words, thousands, decimal = _language(settings.LANGUAGE_CODE)
    code = _variant(code, params)
    if code not in sentences:
        return fallback or code
    number = lambda v, d=0: _number(v, d, thousands, decimal)  # noqa: E731
    seconds = params.get("seconds")
    if isinstance(seconds, (int, float)):
        params["seconds"] = number(seconds, 0 if float(seconds).is_integer() else 1)
    for key in ("limit", "size"):
        if isinstance(params.get(key), int):
            params[key] = number(params[key])
    if isinstance(params.get("kb"), (int, float)):
        params["kb"] = number(params["kb"])
    if isinstance(params.get("clock"), (int, float)):
        params["clock"] = f"{params['clock']:+.0f}"
    params.setdefault("reason", "")
    params.pop("port", None)  # never in a sentence (see the module's docstring)
    for key in FREE_TEXT:
        if key in params:
            params[key] = scrub(params[key])
    try:
        return (sentences[code] % params).strip()
    except (KeyError, TypeError, ValueError):
        return fallback or code


def outcome_text(outcome: ProbeOutcome) -> str:
    """One probe's result in words (a probe without a code, e.g. a test double, keeps its own detail)."""
    code = getattr(outcome, "code", "")
    if not code:
        return scrub(outcome.detail)
    return describe(code, getattr(outcome, "params", {}), fallback=scrub(outcome.detail))[:DETAIL_MAX]


def state_text(outcomes) -> tuple[str, str]:
    """probes.device_state in the site's language: ("up" | "degraded" | "down", sentence)."""
    words = _language(settings.LANGUAGE_CODE)[1]
    return device_state(list(outcomes), text=outcome_text, words=words)
