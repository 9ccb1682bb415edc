"""The Content-Security-Policy every response carries (django-csp's middleware sends it; settings build it here): pages
run only the scripts and styles the site serves itself.

The policy has no 'unsafe-inline' and no 'unsafe-eval': templates hold no inline <script> with code, no on…=
handler and no style= attribute (tests/test_content_security_policy.py scans them); behaviour lives in static/*.js,
styles in static/*.css, and values a page computes (bar widths, heat-map shades) are given as data- attributes that
static/centinela/page.js applies through the DOM, which CSP does not restrict. JSON data for scripts travels in
``json_script`` blocks (type="application/json"), which browsers never execute.
"""

from __future__ import annotations

from urllib.parse import urlsplit


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


# The policy's directives, the map's tile origin aside (`policy` adds it)
DIRECTIVES: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],  # data: the annual report's charts and photos travel inside the page
    "connect-src": ["'self'"],
    "font-src": ["'self'"],
    "frame-src": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def policy(tile_url: str) -> dict:
    """django-csp's CONTENT_SECURITY_POLICY (or _REPORT_ONLY) for a site whose map loads its tiles from `tile_url`
    (settings.MAP_TILE_URL): DIRECTIVES with the tile server's origin added to img-src, so a council's own tile
    server works without touching the policy."""
    directives = {name: list(sources) for name, sources in DIRECTIVES.items()}
    tiles = tile_source(tile_url)
    if tiles:
        directives["img-src"].append(tiles)
    return {"DIRECTIVES": directives}
