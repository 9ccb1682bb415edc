"""The TCP probe: a connect to the device's port, the floor for devices with nothing better configured."""

from __future__ import annotations

from centinela.cameras.probes.outcome import TCP, ProbeFailure, ProbeOutcome, run_probe
from centinela.cameras.probes.wire import close_quietly, connect_within_policy


async def probe_tcp(host: str, port: int, timeout: float = 3.0, *, policy=None) -> ProbeOutcome:
    """A TCP connect: the floor, for devices with nothing better configured."""

    async def body():
        if not host or not port:
            raise ProbeFailure("no_target")
        _reader, writer = await connect_within_policy(host, int(port), policy=policy)
        close_quietly(writer)
        return "tcp_open", {"port": int(port)}

    return await run_probe(TCP, timeout, body)
