"""Probing a device: `DeviceSpec` (what the monitor knows of it), `probe_device` (every configured probe at once,
plus the TCP floor at `tcp_target`), `device_state` (up, degraded or down: the strongest probe decides, worded
with `STATE_WORDS`) and `probe_many` for tools and benchmarks."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlsplit

from centinela.cameras.probes.outcome import AUTH_FAILURES, DETAIL_MAX, TCP, ProbeOutcome
from centinela.cameras.probes.protocols import PROTOCOLS, STRENGTH
from centinela.cameras.probes.tcp import probe_tcp
from centinela.cameras.probes.wire import DEFAULT_PORTS


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


def tcp_target(spec: DeviceSpec) -> tuple[str, int] | None:
    """The TCP floor's host and port: the configured ones, else those of the first URL."""
    if spec.host and spec.port:
        return spec.host, int(spec.port)
    for url in (getattr(spec, p.url_field) for p in PROTOCOLS):
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
    """Every configured probe (protocols.PROTOCOLS: RTSP for stream_url, HTTP for snapshot_url, ONVIF for onvif_url),
    concurrently, strongest first, and TCP always when a host and port are known. Never raises; costs at most
    max(timeouts)."""
    # credentials the key cannot decrypt are not sent at all (never an empty password): see the mapping below
    user, pw = (None, None) if spec.credentials_unreadable else (spec.username or None, spec.password or None)
    extra = {"policy": spec.policy, "auth_scheme": spec.auth_scheme}
    jobs = []
    for protocol in PROTOCOLS:
        url = getattr(spec, protocol.url_field)
        if url:
            jobs.append(protocol.probe(url, user, pw, timeout, **extra))
    target = tcp_target(spec)
    if target:
        jobs.append(probe_tcp(target[0], target[1], tcp_timeout, policy=spec.policy))
    if not jobs:
        return [ProbeOutcome.of(TCP, False, None, "nothing_to_probe")]
    outcomes = list(await asyncio.gather(*jobs))
    if spec.credentials_unreadable:
        outcomes = [
            ProbeOutcome.of(o.kind, False, None, "unreadable_credentials")
            if not o.ok and o.code in AUTH_FAILURES
            else o
            for o in outcomes
        ]
    return outcomes


# the words device_state joins outcomes with; cameras.probe_messages passes the site language's
STATE_WORDS = {
    "nothing": "nothing probed",
    "but": "%(detail)s (but %(notes)s)",
    "works": "%(reason)s; %(kind)s works: %(detail)s",
    "port_open": "%(reason)s (port open)",
    "item": "%(kind)s: %(detail)s",
}


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
        return "degraded", (
            w["works"] % {"reason": reason, "kind": working[0].kind.upper(), "detail": text(working[0])}
        )[:DETAIL_MAX]
    tcp = [o for o in ordered[1:] if o.kind == TCP and o.ok]
    return "down", (w["port_open"] % {"reason": reason} if tcp else reason)[:DETAIL_MAX]


async def probe_many(specs: list[DeviceSpec], concurrency: int = 200, timeout: float = 5.0) -> list[list[ProbeOutcome]]:
    """probe_device over many devices with at most `concurrency` devices in flight (for benchmarks and tools)."""
    gate = asyncio.Semaphore(concurrency)

    async def one(spec):
        async with gate:
            return await probe_device(spec, timeout=timeout)

    return list(await asyncio.gather(*(one(s) for s in specs)))
