"""The monitor connects only where the administrator allows (CAMERA_ALLOWED_NETWORKS, CAMERA_ALLOWED_PORTS):
loopback, link-local and the server's own addresses are refused unless listed explicitly; a host name is resolved
once, every address checked, and the connection made to the checked address. A refused address is a recorded
probe failure with its reason, never a connection (checked with a real listener that must see nobody)."""

import asyncio
import socket

import pytest
from asgiref.sync import async_to_sync

from centinela.cameras.models import Device, Lifecycle, ProbeResult, Site, System
from centinela.cameras.monitor import Monitor
from centinela.cameras.netpolicy import DEFAULT_NETWORKS, DEFAULT_PORTS, NetworkPolicy, NotAllowed, parse_ports
from centinela.cameras.probes import probe_tcp

DEFAULT = NetworkPolicy.parse(DEFAULT_NETWORKS.split(","), DEFAULT_PORTS.split(","), own={"192.168.1.5"})


def test_the_default_allows_private_camera_networks_on_camera_ports_only():
    DEFAULT.check("192.168.1.10", 554)
    DEFAULT.check("10.20.0.7", 80)
    DEFAULT.check("172.16.3.4", 8000)
    for address, port in [("192.168.1.10", 22), ("192.168.1.10", 5432), ("8.8.8.8", 554), ("172.32.0.1", 554)]:
        with pytest.raises(NotAllowed):
            DEFAULT.check(address, port)


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "127.1.2.3", "::1", "169.254.169.254", "fe80::1", "0.0.0.0", "::ffff:127.0.0.1", "192.168.1.5"],
)
def test_the_servers_own_services_and_link_local_are_refused_even_inside_an_allowed_network(address):
    everything = NetworkPolicy.parse(["0.0.0.0/0", "::/0"], ["1-65535"], own={"192.168.1.5"})
    with pytest.raises(NotAllowed) as refused:
        everything.check(address, 554)
    assert refused.value.code == "address_not_allowed"
    with pytest.raises(NotAllowed):
        DEFAULT.check(address, 554)


def test_loopback_link_local_and_own_addresses_pass_only_when_listed_explicitly():
    listed = NetworkPolicy.parse(
        ["127.0.0.1/32", "169.254.10.0/24", "192.168.0.0/16", "192.168.1.5/32"], ["554"], own={"192.168.1.5"}
    )
    for address in ("127.0.0.1", "169.254.10.20", "192.168.1.5", "192.168.7.7"):
        listed.check(address, 554)
    for address in ("127.0.0.2", "169.254.169.254"):
        with pytest.raises(NotAllowed):
            listed.check(address, 554)


def test_port_lists_take_ranges_and_refuse_nonsense():
    assert parse_ports(["554", " 18554-18600 ", ""]) == [(554, 554), (18554, 18600)]
    for bad in (["0"], ["70000"], ["9000-8000"], ["http"]):
        with pytest.raises(ValueError):
            parse_ports(bad)


class Rebinding(NetworkPolicy):
    """A name server that answers an allowed address first and another one after (DNS rebinding)."""

    answers = ["127.0.0.1", "10.255.255.1"]

    async def lookup(self, host, port):
        return [self.answers.pop(0)]


def test_a_name_is_resolved_once_and_the_connection_goes_to_the_checked_address():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        port = listener.getsockname()[1]
        policy = Rebinding.parse(["127.0.0.1/32", "10.0.0.0/8"], [str(port)], own=set())
        outcome = asyncio.run(probe_tcp("camara.example", port, 2.0, policy=policy))
    assert outcome.ok, outcome.detail  # it went to 127.0.0.1, the checked address; a second lookup would not
    assert Rebinding.answers == ["10.255.255.1"]


def test_every_address_a_name_resolves_to_must_be_allowed():
    class Mixed(NetworkPolicy):
        async def lookup(self, host, port):
            return ["192.168.1.10", "169.254.169.254"]

    outcome = asyncio.run(probe_tcp("mixta.example", 554, 2.0, policy=Mixed.parse(["0.0.0.0/0"], ["554"], own=set())))
    assert (outcome.ok, outcome.code) == (False, "address_not_allowed")


@pytest.fixture
def listener():
    """A real TCP listener on loopback that records whether anyone connected."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.5)
    yield sock
    sock.close()


def _connected(sock) -> bool:
    try:
        conn, _addr = sock.accept()
    except TimeoutError:
        return False
    conn.close()
    return True


@pytest.mark.django_db
def test_the_monitor_with_the_default_allowance_records_loopback_as_refused_without_connecting(
    settings, tmp_path, listener
):
    settings.VAR_DIR = tmp_path
    settings.CAMERA_ALLOWED_NETWORKS = DEFAULT_NETWORKS.split(",")
    settings.CAMERA_ALLOWED_PORTS = DEFAULT_PORTS.split(",") + [str(listener.getsockname()[1])]
    port = listener.getsockname()[1]
    site = Site.objects.create(name="Sitio", lon=-79.2, lat=-3.99)
    system = System.objects.create(site=site, name="NVR")
    device = Device.objects.create(
        system=system,
        code="LOOP-1",
        name="Apunta al servidor",
        host="127.0.0.1",
        port=port,
        stream_url=f"rtsp://127.0.0.1:{port}/x",
        lifecycle=Lifecycle.OPERATIONAL,
    )
    monitor = Monitor("allow", fail_after=1, recover_after=1, probe_timeout=2.0, claim_seconds=30)
    async_to_sync(monitor.run_once)()
    assert not _connected(listener)
    device.refresh_from_db()
    results = list(ProbeResult.objects.filter(device=device).values_list("kind", "ok", "detail"))
    assert {(k, ok) for k, ok, _d in results} == {("rtsp", False), ("tcp", False)}
    assert all(d == "dirección no permitida al monitor (CAMERA_ALLOWED_NETWORKS)" for _k, _ok, d in results)
    assert device.health == Device.Health.OFFLINE


@pytest.mark.django_db
def test_a_port_outside_the_allowance_is_refused_without_naming_it(settings, tmp_path, listener):
    settings.VAR_DIR = tmp_path
    settings.CAMERA_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.CAMERA_ALLOWED_PORTS = ["554"]
    port = listener.getsockname()[1]
    site = Site.objects.create(name="Sitio", lon=-79.2, lat=-3.99)
    device = Device.objects.create(
        system=System.objects.create(site=site, name="NVR"),
        code="PORT-1",
        name="x",
        host="127.0.0.1",
        port=port,
        lifecycle=Lifecycle.OPERATIONAL,
    )
    async_to_sync(Monitor("ports", fail_after=1, recover_after=1, probe_timeout=2.0, claim_seconds=30).run_once)()
    assert not _connected(listener)
    device.refresh_from_db()
    # every role reads this sentence: the port is on the camera's network fields, for the managers only
    assert device.last_detail == "TCP: puerto no permitido al monitor (CAMERA_ALLOWED_PORTS)"


def test_a_bad_allowance_stops_the_monitor_at_start(settings):
    settings.CAMERA_ALLOWED_NETWORKS = ["192.168.0.0/33"]
    with pytest.raises(ValueError):
        Monitor("bad")
