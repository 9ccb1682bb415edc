"""What every probe shares about its result: the probe kinds (`RTSP`, `HTTP`, `ONVIF`, `TCP`), the
stable result codes and their English text (`REASONS`, `reason_text`, `AUTH_FAILURES`, `CREDENTIAL_FAILURES`),
`ProbeOutcome`, the `ProbeFailure` raised inside a probe, and `run_probe`, which bounds a probe by its timeout and turns
any exception into a failed outcome (`_failure_reason`)."""

from __future__ import annotations

import asyncio
import errno
import socket
import ssl
import time
from dataclasses import dataclass, field

from centinela.cameras.netpolicy import NotAllowed

DETAIL_MAX = 300  # ProbeResult.detail

RTSP, HTTP, ONVIF, TCP = "rtsp", "http", "onvif", "tcp"  # their strength order: protocols.STRENGTH


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
    def of(cls, kind: str, ok: bool, latency_ms: float | None, code: str, **params) -> ProbeOutcome:
        return cls(kind, ok, latency_ms, reason_text(code, params)[:DETAIL_MAX], code, params)


class ProbeFailure(Exception):
    """A failure with its reason code (see REASONS) and params, raised inside a probe and turned into an outcome
    at its edge; str() is the English text."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(reason_text(code, params))


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


async def run_probe(kind: str, timeout: float, body) -> ProbeOutcome:
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
