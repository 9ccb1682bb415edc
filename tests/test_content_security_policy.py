"""Every response carries a strict Content-Security-Policy (django-csp; the policy in centinela/lib/csp.py): only the
site's own scripts and styles, nothing framed, no framing, images from the site, data: and the map's tile server
(MAP_TILE_URL, whatever a council configures). The policy holds only because no page has inline code: the templates
are scanned for inline <script> with code, on…= handlers, style= attributes and <style> elements, and the pages of a
representative set are checked as served (the browser side: tests/browser/test_csp_in_browser.py)."""

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from centinela.lib.csp import tile_source

ROOT = Path(__file__).resolve().parent.parent
STRICT = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
OSM = "https://tile.openstreetmap.org"

# Public pages and the login, for anonymous visitors.
PUBLIC_PAGES = ["login", "password_reset", "participation:report_new", "participation:public_map", "opendata:index"]
# Signed-in pages: the home map, lists (with their maps), an import page, the camera page, the observatory, a plan's
# bars, the annual report page (its style sheet was inline).
STAFF_PAGES = [
    "home",
    "incidents:incident_list",
    "activities:activity_list",
    "territory:parish_list",
    "incidents:import",
    "territory:boundary_import",
    "cameras:dashboard",
    "indicators:index",
    "participation:inbox",
    "reports:annual_report",
    "second_factor",
]


def policy(response, header="Content-Security-Policy"):
    assert response.has_header(header), f"{response.status_code} {response.get('Content-Type')} has no {header}"
    directives = {}
    for part in response[header].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_strict(directives, tile_origin=OSM):
    for name, sources in STRICT.items():
        assert directives.get(name) == sources, (name, directives.get(name))
    assert directives["img-src"][:2] == ["'self'", "data:"]
    if tile_origin:
        assert tile_origin in directives["img-src"]
    every = " ".join(" ".join(v) for v in directives.values())
    assert "unsafe-inline" not in every and "unsafe-eval" not in every and "*" not in every.replace("*.", "")


class InlineCode(HTMLParser):
    """What a strict policy would refuse in an HTML page: inline <script> with code (JSON data blocks are never run),
    on…= handlers, style= attributes and <style> elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._script = None  # the attributes of the open <script>, and its text so far

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        for name, _value in attrs:
            if re.fullmatch(r"on[a-z]+|hx-on.*", name):
                self.found.append(f"<{tag} {name}=…>")
            if name == "style":
                self.found.append(f"<{tag} style=…>")
        if tag == "style":
            self.found.append("<style> element")
        if tag == "script":
            self._script = (names, [])

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            names, text = self._script
            code = "".join(text).strip()
            if code and "src" not in names and names.get("type") not in ("application/json", "application/geo+json"):
                self.found.append(f"inline <script>: {code[:60]!r}")
            self._script = None


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_carry_the_policy(client, users, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_strict(policy(response))
    assert inline_code(response.content.decode()) == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF_PAGES)
def test_signed_in_pages_carry_the_policy(client_for, name):
    response = client_for("tecnico").get(reverse(name))
    assert response.status_code == 200
    assert_strict(policy(response))
    assert inline_code(response.content.decode()) == []


@pytest.mark.django_db
def test_redirects_errors_static_files_and_the_api_carry_it_too(client, users):
    assert_strict(policy(client.get(reverse("home"))))  # the redirect to the login
    assert_strict(policy(client.get("/no-such-page/")))
    assert_strict(policy(client.get("/static/centinela/centinela.css")))
    assert_strict(policy(client.get("/api/open311/v2/services.json")))


def settings_built_with(**env) -> dict:
    """The policy settings.py builds when the server starts with `env` (MAP_TILE_URL, CSP_REPORT_ONLY): django-csp
    reads them from settings, so they are made once, from the environment, as a council's install sets it."""
    code = (
        "import json, centinela.settings as s; print(json.dumps({'enforced': s.CONTENT_SECURITY_POLICY, "
        "'report_only': getattr(s, 'CONTENT_SECURITY_POLICY_REPORT_ONLY', None)}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_a_configured_tile_server_is_allowed_and_osm_no_longer(client, users, settings):
    built = settings_built_with(MAP_TILE_URL="https://{s}.tiles.municipio.example/osm/{z}/{x}/{y}.png")
    assert built["report_only"] is None
    settings.CONTENT_SECURITY_POLICY = built["enforced"]
    directives = policy(client.get(reverse("login")))
    assert_strict(directives, tile_origin="https://*.tiles.municipio.example")
    assert OSM not in directives["img-src"]
    # the site's own tiles: 'self' already covers them
    settings.CONTENT_SECURITY_POLICY = settings_built_with(MAP_TILE_URL="/teselas/{z}/{x}/{y}.png")["enforced"]
    assert policy(client.get(reverse("login")))["img-src"] == ["'self'", "data:"]


@pytest.mark.django_db
def test_report_only_sends_the_same_policy_without_enforcing_it(client, users, settings):
    built = settings_built_with(CSP_REPORT_ONLY="1")
    assert built["enforced"] is None
    settings.CONTENT_SECURITY_POLICY, settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = None, built["report_only"]
    response = client.get(reverse("login"))
    assert not response.has_header("Content-Security-Policy")
    assert_strict(policy(response, "Content-Security-Policy-Report-Only"))


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org"),
        ("https://tiles-{s}.example.org/{z}/{x}/{y}.png", "https://*.example.org"),
        ("http://10.0.0.5:8080/tiles/{z}/{x}/{y}.png", "http://10.0.0.5:8080"),
        ("https://user:secret@tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org"),
        ("/tiles/{z}/{x}/{y}.png", None),
        ("", None),
    ],
)
def test_tile_source(url, source):
    assert tile_source(url) == source


# Templates that are never served as a page: an e-mail (mail readers need inline styles) and the annual report's
# downloaded HTML file, opened from disk (it carries its styles inside to stay whole).
NOT_PAGES = {
    "notifications/templates/notifications/digest.html",
    "reports/templates/reports/annual_report_document.html",
}


def test_no_template_has_inline_code():
    templates = sorted((ROOT / "centinela").rglob("templates/**/*.html"))
    assert len(templates) > 100
    found = {}
    for path in templates:
        relative = path.relative_to(ROOT / "centinela").as_posix()
        if relative in NOT_PAGES:
            continue
        # Django tags and variables become a placeholder: the scan sees the HTML the template writes
        text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", "x", path.read_text(encoding="utf-8"), flags=re.S)
        problems = inline_code(text)
        if problems:
            found[relative] = problems
    assert found == {}
