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

Modules
-------
Every public name is re-exported here, so `from centinela.cameras.probes import probe_device, ...` keeps working.

* outcome: probe kinds and their strength order, result codes and texts, `ProbeOutcome`, `ProbeFailure`,
  `run_probe`.
* wire: `Response`, reading RTSP/HTTP heads and bodies within limits (`read_head`, `read_body`), `Target` URLs,
  `connect_within_policy` (through the network policy) and `close_quietly`.
* auth: Basic and Digest answers to a 401 (`Authenticator`).
* tcp, rtsp, http, onvif: one probe per protocol (`probe_tcp`, `probe_rtsp`, `probe_http_snapshot` with the
  `http_request` exchange, `probe_onvif` with its SOAP and WS-Security pieces).
* protocols: the table of protocols, strongest first (`PROTOCOLS`, `STRENGTH`): a new protocol is a module and
  a row there.
* devices: `DeviceSpec`, `probe_device`, `device_state`, `probe_many`.

Dependency order (no module imports a later one; `lint-imports` checks it): outcome <- wire <- auth <- tcp, rtsp,
http <- onvif <- protocols <- devices.
"""

from __future__ import annotations

from centinela.cameras.probes.auth import (  # noqa: F401
    Authenticator,
)
from centinela.cameras.probes.devices import (  # noqa: F401
    STATE_WORDS,
    DeviceSpec,
    device_state,
    probe_device,
    probe_many,
    tcp_target,
)
from centinela.cameras.probes.http import (  # noqa: F401
    http_request,
    probe_http_snapshot,
)
from centinela.cameras.probes.onvif import (  # noqa: F401
    BASE64_BINARY,
    MAX_SOAP_BODY,
    PASSWORD_DIGEST,
    SOAP11,
    SOAP12,
    TDS,
    WSSE,
    WSU,
    probe_onvif,
    username_token,
)
from centinela.cameras.probes.outcome import (  # noqa: F401
    AUTH_FAILURES,
    CREDENTIAL_FAILURES,
    DETAIL_MAX,
    HTTP,
    ONVIF,
    REASONS,
    RTSP,
    TCP,
    ProbeFailure,
    ProbeOutcome,
    reason_text,
    run_probe,
)
from centinela.cameras.probes.protocols import (  # noqa: F401
    PROTOCOLS,
    STRENGTH,
    Protocol,
)
from centinela.cameras.probes.rtsp import (  # noqa: F401
    probe_rtsp,
)
from centinela.cameras.probes.tcp import (  # noqa: F401
    probe_tcp,
)
from centinela.cameras.probes.wire import (  # noqa: F401
    DEFAULT_PORTS,
    MAX_HEADER_BYTES,
    MAX_HEADER_LINES,
    MAX_RTSP_BODY,
    USER_AGENT,
    Response,
    Target,
    close_quietly,
    connect_within_policy,
    read_body,
    read_head,
)
