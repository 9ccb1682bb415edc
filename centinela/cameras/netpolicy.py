"""Where the camera monitor may connect: the networks and ports the administrator allows (CAMERA_ALLOWED_NETWORKS,
CAMERA_ALLOWED_PORTS). Django-free, like the probes package, which asks it before every connection.

Rules: an address must lie in an allowed network and its port in an allowed port range. Loopback, link-local,
unspecified and multicast addresses, and the server's own addresses, are refused even inside a broad allowed
network, unless they are listed explicitly (a listed network lying inside that special range, or the server's
own address as a /32 or /128). A host name is resolved once; every address it resolves to must pass, and the
connection goes to the address that was checked, so a second lookup cannot point it elsewhere (DNS rebinding)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass, field

# Ranges that reach the server itself or are not a camera: refused unless listed explicitly.
SPECIAL = [
    ipaddress.ip_network(n)
    for n in (
        "127.0.0.0/8",
        "::1/128",  # loopback: the server's own services
        "169.254.0.0/16",
        "fe80::/10",  # link-local (cloud metadata services live here)
        "0.0.0.0/8",
        "::/128",  # unspecified ("this host")
        "224.0.0.0/4",
        "ff00::/8",
        "255.255.255.255/32",  # multicast, broadcast
    )
]
DEFAULT_NETWORKS = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7"
DEFAULT_PORTS = "80,443,554,322,8000,8080,8443,8554,8899"


class NotAllowed(Exception):
    """Raised with a probe reason code: "address_not_allowed", "port_not_allowed" or "bad_allowance"."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(code)


def parse_ports(items) -> list[tuple[int, int]]:
    """["554", "8000-8100"] -> [(554, 554), (8000, 8100)]; raises ValueError on a bad item."""
    out = []
    for item in items:
        item = str(item).strip()
        if not item:
            continue
        low, _, high = item.partition("-")
        low, high = int(low), int(high or low)
        if not (1 <= low <= high <= 65535):
            raise ValueError(f"bad port range {item!r}")
        out.append((low, high))
    return out


def own_addresses() -> set:
    """The server's own addresses: every interface's (psutil), and what its host name resolves to."""
    found = set()
    try:
        import psutil

        for addrs in psutil.net_if_addrs().values():
            for a in addrs:
                if a.family in (socket.AF_INET, socket.AF_INET6):
                    found.add(a.address.split("%")[0])
    except Exception:  # noqa: BLE001 - without psutil, the host name's addresses are still known
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None):
            found.add(info[4][0].split("%")[0])
    except OSError:
        pass
    out = set()
    for a in found:
        try:
            out.add(ipaddress.ip_address(a))
        except ValueError:
            continue
    return out


@dataclass
class NetworkPolicy:
    networks: list = field(default_factory=list)
    ports: list = field(default_factory=list)
    own: set = field(default_factory=set)

    @classmethod
    def parse(cls, networks, ports, own=None) -> NetworkPolicy:
        nets = [ipaddress.ip_network(str(n).strip(), strict=False) for n in networks if str(n).strip()]
        own = own_addresses() if own is None else {ipaddress.ip_address(str(a)) for a in own}
        return cls(nets, parse_ports(ports), own)

    def port_allowed(self, port: int) -> bool:
        return any(low <= int(port) <= high for low, high in self.ports)

    def address_allowed(self, address: str) -> bool:
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.version == 6 and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        containing = [n for n in self.networks if n.version == ip.version and ip in n]
        if not containing:
            return False
        specials = [sp for sp in SPECIAL if sp.version == ip.version and ip in sp]
        if specials:  # loopback and the like: only a listed network inside that range lets it through
            return all(any(n.subnet_of(sp) for n in containing) for sp in specials)
        if ip in self.own:  # one of the server's own addresses: only when listed alone (/32, /128)
            return any(n.prefixlen == n.max_prefixlen for n in containing)
        return True

    def check(self, address: str, port: int) -> None:
        if not self.port_allowed(port):
            raise NotAllowed("port_not_allowed", port=int(port))
        if not self.address_allowed(address):
            raise NotAllowed("address_not_allowed")

    async def lookup(self, host: str, port: int) -> list[str]:
        """Every address the host name resolves to (an IP literal: itself)."""
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        return list(dict.fromkeys(info[4][0] for info in infos))

    async def resolve(self, host: str, port: int) -> str:
        """The one address to connect to for host:port, after checking every address the host resolves to."""
        if not self.port_allowed(port):
            raise NotAllowed("port_not_allowed", port=int(port))
        addresses = await self.lookup(host, port)
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "no address")
        for address in addresses:
            if not self.address_allowed(address):
                raise NotAllowed("address_not_allowed")
        return addresses[0]
