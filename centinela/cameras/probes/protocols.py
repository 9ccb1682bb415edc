"""The table of probe protocols a camera may be reached by, strongest first: the probe that decides a device's
state is the strongest configured one (see `devices.device_state`), and the TCP floor comes after them all.

Adding a protocol: write its module beside the others (an `async def probe_x(url, username, password, timeout,
*, policy, auth_scheme) -> ProbeOutcome` that never raises and connects only through
`wire.connect_within_policy`, so the network policy applies), give `DeviceSpec` and the Device model the field
holding its URL, and add one row here. `probe_device`, `tcp_target`, the strength order and the monitor all read
this table."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from centinela.cameras.probes.http import probe_http_snapshot
from centinela.cameras.probes.onvif import probe_onvif
from centinela.cameras.probes.outcome import HTTP, ONVIF, RTSP, TCP, ProbeOutcome
from centinela.cameras.probes.rtsp import probe_rtsp


@dataclass(frozen=True)
class Protocol:
    kind: str  # ProbeOutcome.kind and ProbeResult.kind
    url_field: str  # the DeviceSpec attribute holding the URL it probes; empty: not configured
    probe: Callable[..., Awaitable[ProbeOutcome]]


PROTOCOLS: tuple[Protocol, ...] = (
    Protocol(RTSP, "stream_url", probe_rtsp),  # a stream that describes video
    Protocol(HTTP, "snapshot_url", probe_http_snapshot),  # a snapshot that is a real JPEG
    Protocol(ONVIF, "onvif_url", probe_onvif),  # GetDeviceInformation answered
)

STRENGTH = (*(p.kind for p in PROTOCOLS), TCP)  # strongest first; an open port is the floor
