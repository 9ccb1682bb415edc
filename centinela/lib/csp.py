"""Content-Security-Policy on every response: pages run only the scripts and styles the site serves itself.

Why our own small middleware and not django-csp (the library made for this): django-csp is not in the shared
environment and was not installed for this. This class does only what Centinela needs — one fixed policy from a
settings dict, the map's tile origin added from MAP_TILE_URL, and a report-only switch — and django-csp 4
(``csp.middleware.CSPMiddleware``) could replace it: our dict is what django-csp takes as
``CONTENT_SECURITY_POLICY = {"DIRECTIVES": ...}`` (or ``CONTENT_SECURITY_POLICY_REPORT_ONLY``), with the tile
origin (tile_source below) added to img-src in settings.

The policy has no 'unsafe-inline' and no 'unsafe-eval': templates hold no inline <script> with code, no on…=
handler and no style= attribute (tests/test_content_security_policy.py scans them); behaviour lives in static/*.js,
styles in static/*.css, and values a page computes (bar widths, heat-map shades) are given as data- attributes that
static/centinela/page.js applies through the DOM, which CSP does not restrict. JSON data for scripts travels in
``json_script`` blocks (type="application/json"), which browsers never execute.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

HEADER = "Content-Security-Policy"
REPORT_ONLY_HEADER = "Content-Security-Policy-Report-Only"


def tile_source(tile_url: str) -> str | None:
    """The CSP source that lets the map load tiles from `tile_url` (a Leaflet URL template), or None when the tiles
    come from the site itself (a relative URL) or there is no tile URL.

    Leaflet's ``{s}`` subdomain placeholder in the host becomes a ``*.`` wildcard; a ``{…}`` placeholder anywhere
    else in the host leaves only the scheme and the rest of the host after it."""
    tile_url = (tile_url or "").strip()
    if not tile_url:
        return None
    parts = urlsplit(tile_url)
    if not parts.scheme or not parts.netloc:
        return None  # "/tiles/{z}/{x}/{y}.png": the site's own, already 'self'
    host = parts.netloc.rsplit("@", 1)[-1]  # no credentials in a policy
    if "{" in host:
        # "{s}.tile.openstreetmap.org" or "tiles-{s}.example.org" -> "*.tile.openstreetmap.org", "*.example.org"
        labels = host.split(".")
        while labels and "{" in labels[0]:
            labels.pop(0)
        if not labels or any("{" in label for label in labels):
            return f"{parts.scheme}:"
        host = "*." + ".".join(labels)
    return f"{parts.scheme}://{host}"


def directives() -> dict[str, list[str]]:
    """The policy in force: settings.CONTENT_SECURITY_POLICY plus the map's tile origin in img-src (added here, at
    response time, so a council's own tile server in MAP_TILE_URL works without touching the policy)."""
    policy = {name: list(sources) for name, sources in settings.CONTENT_SECURITY_POLICY.items()}
    tiles = tile_source(getattr(settings, "MAP_TILE_URL", ""))
    if tiles:
        img = policy.setdefault("img-src", ["'self'"])
        if tiles not in img:
            img.append(tiles)
    return policy


def header_value(policy: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}".strip() for name, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """Adds the policy to every response (pages, static files served by WhiteNoise, API answers) unless the view
    set its own. With settings.CSP_REPORT_ONLY the same policy goes as Content-Security-Policy-Report-Only: the
    browser reports violations in its console and blocks nothing (for a council that embeds extra things while it
    finds out which origins they need)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        name = REPORT_ONLY_HEADER if getattr(settings, "CSP_REPORT_ONLY", False) else HEADER
        if not response.has_header(HEADER) and not response.has_header(REPORT_ONLY_HEADER):
            response[name] = header_value(directives())
        return response
