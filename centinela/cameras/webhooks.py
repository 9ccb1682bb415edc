"""Where alert webhooks may be posted: only to the host names the administrator allows (ALERT_WEBHOOK_HOSTS), on
the allowed ports (ALERT_WEBHOOK_PORTS), and only to public addresses unless a network is listed
(ALERT_WEBHOOK_NETWORKS, for a chat server on the municipality's own network). Django-free, like netpolicy.py.

The rule the camera monitor follows applies here too: a host name is resolved once, every address it resolves to
must pass, and the connection goes to the checked address (the certificate is still checked against the name), so a
second lookup cannot point it elsewhere. Redirects are never followed: http.client does not follow them."""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
import ssl
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from centinela.cameras.netpolicy import NetworkPolicy, NotAllowed, own_addresses, parse_ports

DEFAULT_PORTS = "443,80"


def host_listed(host: str, allowed: list[str]) -> bool:
    """Whether `host` is one of the allowed names: exact ("hooks.slack.com") or a whole domain ("*.example.org" or
    ".example.org" allow every name under it, not the domain itself)."""
    host = host.lower().rstrip(".")
    for item in allowed:
        item = item.strip().lower().rstrip(".")
        if not item:
            continue
        if item.startswith(("*.", ".")):
            suffix = "." + item.lstrip("*.")
            if host.endswith(suffix) and len(host) > len(suffix):
                return True
        elif host == item:
            return True
    return False


@dataclass
class WebhookPolicy:
    hosts: list[str] = field(default_factory=list)
    ports: list = field(default_factory=list)
    networks: NetworkPolicy = field(default_factory=NetworkPolicy)

    @classmethod
    def parse(cls, hosts, ports, networks, own=None) -> WebhookPolicy:
        own = own_addresses() if own is None else own
        return cls(
            [str(h).strip() for h in hosts if str(h).strip()],
            parse_ports(ports),
            NetworkPolicy.parse(networks, ["1-65535"], own=own),
        )

    def target(self, url: str) -> tuple[str, str, int, str]:
        """(scheme, host, port, path with query) of an allowed URL; raises NotAllowed before any lookup."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise NotAllowed("webhook_url_invalid")
        try:
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            raise NotAllowed("webhook_url_invalid") from None
        if parts.username or parts.password:
            raise NotAllowed("webhook_url_invalid")
        if not host_listed(parts.hostname, self.hosts):
            raise NotAllowed("webhook_host_not_allowed", host=parts.hostname)
        if not any(low <= port <= high for low, high in self.ports):
            raise NotAllowed("port_not_allowed", port=port)
        path = parts.path or "/"
        return scheme, parts.hostname, port, path + (f"?{parts.query}" if parts.query else "")

    def address_allowed(self, address: str) -> bool:
        """A public address that is not the server's own, or one inside a listed network (netpolicy's rules)."""
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.version == 6 and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if ip.is_global and ip not in self.networks.own:
            return True
        return self.networks.address_allowed(str(ip))

    def resolve(self, host: str, port: int) -> str:
        """The one address to connect to, after checking every address the name resolves to."""
        addresses = list(dict.fromkeys(info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)))
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "no address")
        for address in addresses:
            if not self.address_allowed(address):
                raise NotAllowed("address_not_allowed", host=host)
        return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Sends `Host: <name>` but connects to the address that was checked."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post_json(
    url: str, payload: dict, policy: WebhookPolicy, *, timeout: float, user_agent: str = "Centinela monitor"
) -> int:
    """POST `payload` as JSON to an allowed URL; returns the HTTP status (a redirect is a status, never followed).
    Raises NotAllowed without connecting when the URL, its port or an address it resolves to is not allowed."""
    scheme, host, port, path = policy.target(url)
    address = policy.resolve(host, port)
    cls = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    conn = cls(host, port, address, timeout=timeout)
    try:
        conn.request(
            "POST",
            path,
            body=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "User-Agent": user_agent},
        )
        response = conn.getresponse()
        response.read(1024)
        return response.status
    finally:
        conn.close()
