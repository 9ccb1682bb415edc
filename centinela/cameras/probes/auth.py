"""HTTP authentication shared by the RTSP and HTTP probes (and ONVIF's transport): `Authenticator` answers a 401 with
Basic or Digest (MD5 or SHA-256), never sending a password in clear to a peer that took Digest; `_parse_challenges`
reads the WWW-Authenticate values."""

from __future__ import annotations

import base64
import hashlib
import os
import re

from centinela.cameras.probes.outcome import ProbeFailure
from centinela.cameras.probes.wire import Response

_PARAM = re.compile(r'([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)')


def _parse_challenges(values: list[str]) -> list[tuple[str, dict[str, str]]]:
    """WWW-Authenticate values -> [(scheme, params)], also when one value carries several challenges."""
    out: list[tuple[str, dict[str, str]]] = []
    for value in values:
        for challenge in re.split(r",\s*(?=(?:basic|digest|bearer|negotiate|ntlm)\b)", value.strip(), flags=re.I):
            scheme, _, rest = challenge.strip().partition(" ")
            params = {}
            for key, val in _PARAM.findall(rest):
                if val.startswith('"'):
                    val = re.sub(r"\\(.)", r"\1", val[1:-1])
                params[key.lower()] = val
            out.append((scheme.lower(), params))
    return out


_DIGEST_HASHES = {
    "md5": hashlib.md5,
    "md5-sess": hashlib.md5,
    "sha-256": hashlib.sha256,
    "sha-256-sess": hashlib.sha256,
}


class Authenticator:
    """Answers a 401 with Basic or Digest (RFC 2617 / RFC 7616: MD5 or SHA-256, qop auth or none)."""

    def __init__(self, username: str | None, password: str | None, pinned: str = ""):
        self.username = username or ""
        self.password = password or ""
        self.pinned = pinned  # "digest": the camera accepted Digest before, so Basic is a downgrade
        self.scheme: str | None = None
        self.params: dict[str, str] = {}
        self.nc = 0
        self.cnonce = os.urandom(8).hex()

    @property
    def has_credentials(self) -> bool:
        return bool(self.username)

    def challenge(self, response: Response) -> bool:
        """Take the best challenge of a 401; False when none is usable (or no credentials)."""
        challenges = _parse_challenges(response.all("www-authenticate"))
        digests = [p for s, p in challenges if s == "digest" and p.get("algorithm", "md5").lower() in _DIGEST_HASHES]
        digests.sort(key=lambda p: "sha-256" in p.get("algorithm", "").lower(), reverse=True)
        if digests:
            self.scheme, self.params, self.nc = "digest", digests[0], 0
        elif any(s == "basic" for s, _ in challenges):
            if self.has_credentials and "digest" in (self.pinned, self.scheme):
                # never send the password in clear to a peer that took (or takes) Digest: an impostor asks for Basic
                raise ProbeFailure("auth_downgrade")
            self.scheme, self.params = "basic", {}
        else:
            return False
        return self.has_credentials

    def header(self, method: str, uri: str) -> str | None:
        if self.scheme and any(ch in self.username + self.password for ch in "\r\n\0"):
            raise ProbeFailure("bad_credentials_chars")
        if self.scheme == "basic":
            return "Basic " + base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        if self.scheme != "digest":
            return None
        p = self.params
        algorithm = p.get("algorithm", "MD5")
        h = _DIGEST_HASHES[algorithm.lower()]
        hx = lambda s: h(s.encode()).hexdigest()  # noqa: E731
        realm, nonce = p.get("realm", ""), p.get("nonce", "")
        ha1 = hx(f"{self.username}:{realm}:{self.password}")
        if algorithm.lower().endswith("-sess"):
            ha1 = hx(f"{ha1}:{nonce}:{self.cnonce}")
        ha2 = hx(f"{method}:{uri}")
        qops = [q.strip().lower() for q in p.get("qop", "").split(",") if q.strip()]
        quote = lambda v: v.replace("\\", "\\\\").replace('"', '\\"')  # noqa: E731
        fields = [
            f'username="{quote(self.username)}"',
            f'realm="{quote(realm)}"',
            f'nonce="{quote(nonce)}"',
            f'uri="{uri}"',
        ]
        if "auth" in qops:
            self.nc += 1
            nc = f"{self.nc:08x}"
            digest = hx(f"{ha1}:{nonce}:{nc}:{self.cnonce}:auth:{ha2}")
            fields += [f'response="{digest}"', "qop=auth", f"nc={nc}", f'cnonce="{self.cnonce}"']
        else:
            fields.append(f'response="{hx(f"{ha1}:{nonce}:{ha2}")}"')
        if "algorithm" in p:
            fields.append(f"algorithm={algorithm}")
        if "opaque" in p:
            fields.append(f'opaque="{quote(p["opaque"])}"')
        return "Digest " + ", ".join(fields)
