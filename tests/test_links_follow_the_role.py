"""Navigation follows the role (issue 13, item 3): every demo role signs in, opens every page its menu links to and
every link and button on those pages (within the site, GET only), and none answers 403 or 404 (or an error): a user
is never offered what they cannot open. Links to the same kind of page (one URL name) are tried a few times each.
On every page of their work a parish president opens, the parish, barrio and place choices (filters and forms) hold
only their parish's; a public page (the citizens' map, open data) offers the whole canton to everyone alike."""

import html
import re
from collections import defaultdict
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from centinela.accounts.demo import ensure_demo_users
from centinela.accounts.models import Role
from centinela.activities.demo import load_demo_year_2020

ROLES = ["admin", "directora", "tecnico", "enlace.policia", "enlace.ecu911", "presidente.sagrario", "presidente.valle"]
SELECT = re.compile(
    r"""<select\b[^>]*\bname\s*=\s*["'](parish|barrio|barrios|place)["'][^>]*>(.*?)</select>""", re.I | re.S
)
OPTION = re.compile(r"""<option\b[^>]*\bvalue\s*=\s*["'](\d+)["']""", re.I)
HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"']+)["']""", re.I)
PER_NAME = 3  # links of one URL name tried per role (detail pages of 25 rows answer alike)
SKIP_PREFIXES = ("/static/", "/media/", "/admin/")  # files, and the Django admin (its own permissions: issue 2's test)


def links(body: str, base: str) -> list[str]:
    found = []
    for raw in HREF.findall(body):
        href = urldefrag(html.unescape(raw.strip()))[0]
        if not href or href.startswith(("mailto:", "tel:", "javascript:", "data:")):
            continue
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:  # another site (OpenStreetMap, the census, the docs)
            continue
        if not href.startswith("/"):
            href = base.rsplit("/", 1)[0] + "/" + href if not href.startswith("?") else base.split("?")[0] + href
        if href.startswith(SKIP_PREFIXES):
            continue
        found.append(href)
    return found


def foreign_choices(body: str, allowed: dict[str, set[int]]) -> list[str]:
    """The choices of a page's parish, barrio and place selects that are not in `allowed`."""
    wrong = []
    for name, options in SELECT.findall(body):
        kind = "barrio" if name == "barrios" else name
        extra = {int(v) for v in OPTION.findall(options)} - allowed[kind]
        if extra:
            wrong.append(f"{name}: {sorted(extra)[:5]}")
    return wrong


def own_parish(user) -> dict[str, set[int]]:
    from centinela.territory.models import Barrio, Place

    code = user.parish.code
    return {  # by id, or by code where a page offers codes (the observatory's indicators)
        "parish": {user.parish_id} | ({int(code)} if code.isdigit() else set()),
        "barrio": set(Barrio.objects.filter(parish=user.parish_id).values_list("pk", flat=True)),
        "place": set(Place.objects.filter(parish=user.parish_id).values_list("pk", flat=True)),
    }


def public(href: str) -> bool:
    """A page anyone may open without an account (its view is marked login_not_required): the same for every user."""
    try:
        return getattr(resolve(urlsplit(href).path).func, "login_required", True) is False
    except Resolver404:
        return False


def url_name(href: str) -> str:
    try:
        match = resolve(urlsplit(href).path)
    except Resolver404:
        return href
    query = urlsplit(href).query
    export = "export" if "export=" in query else ""
    return f"{match.view_name}?{export}"


@pytest.fixture
def demo(db):
    from centinela.cameras.demo import load_demo_cameras
    from centinela.incidents.demo import load_demo_incidents

    load_demo_year_2020()
    ensure_demo_users()
    load_demo_cameras()
    load_demo_incidents(n=300)
    from centinela.participation.committees.demo import load_demo_committees

    load_demo_committees()


@pytest.mark.parametrize("role", ROLES)
def test_every_link_a_role_is_offered_opens(role, demo, client_for, users):
    client = client_for(role)
    user = users[role]
    allowed = own_parish(user) if user.role == Role.PARISH_PRESIDENT else None
    login = reverse("login")
    home = client.get("/")
    assert home.status_code == 200
    tried: dict[str, int] = defaultdict(int)
    seen: set[str] = set()
    broken: list[str] = []

    def visit(href, came_from):
        if href in seen:
            return None
        name = url_name(href)
        if tried[name] >= PER_NAME:
            return None
        seen.add(href)
        tried[name] += 1
        response = client.get(href)
        if response.status_code >= 400:
            broken.append(f"{href} ({response.status_code}) linked from {came_from}")
            return None
        if response.status_code in (301, 302) and response.get("Location", "").startswith(login):
            broken.append(f"{href} (sent to the login) linked from {came_from}")
        if response.get("Content-Type", "").startswith("text/html") and not getattr(response, "streaming", False):
            body = response.content.decode()
            if allowed is not None and not public(href):
                broken.extend(f"{href} offers another parish's {wrong}" for wrong in foreign_choices(body, allowed))
            return body
        return None

    menu_pages = []
    for href in links(home.content.decode(), "/"):
        body = visit(href, "/")
        if body is not None:
            menu_pages.append((href, body))
    for page, body in menu_pages:
        for href in links(body, page):
            visit(href, page)
    assert len(seen) > 20
    assert not broken, f"{role} is offered links it cannot open:\n" + "\n".join(broken)


@pytest.mark.parametrize("role", ["presidente.sagrario", "presidente.valle"])
def test_a_parish_presidents_choices_hold_only_their_parish(role, users, client_for):
    """Beyond the links: every page the role matrix gives a parish president (its sample records), and the new
    activity of every kind, offers only their parish's parishes, barrios and places."""
    from test_every_page_every_role import EXPECT, Samples, url_patterns

    from centinela.activities.models import Activity

    samples = Samples(users)
    client = client_for(role)
    allowed = own_parish(users[role])
    urls = [
        samples.url(name, pattern, route)
        for name, pattern, route in url_patterns()
        if name in EXPECT
        and EXPECT[name].method == "GET"
        and role in EXPECT[name].ok
        and not name.startswith(("admin:", "api:"))
    ]
    urls += [reverse("activities:activity_create") + f"?kind={kind}" for kind in Activity.Kind.values]
    wrong, forms = [], 0
    for url in urls:
        response = client.get(url, follow=True)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        if getattr(response, "streaming", False):
            continue
        if public(url):
            continue
        body = response.content.decode()
        forms += bool(SELECT.search(body))
        wrong.extend(f"{url} offers another parish's {w}" for w in foreign_choices(body, allowed))
    assert forms > 10
    assert not wrong, "\n".join(wrong)
