"""Browser tests: a real Chromium (Debian's, not a Playwright download) drives the live Django server.

One browser per test module, a fresh context and page per test. Every request to a host other than the
live server is aborted, so map tiles never reach the internet and the map tests prove the vector layers draw
without them.
"""

import contextlib
import os
import shutil
import threading
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
CSP_REFUSAL = ("Refused to", "Content Security Policy")


@contextlib.contextmanager
def _async_unsafe_allowed():
    """Playwright's sync API keeps an asyncio loop running in this thread, and Django's ORM refuses to run where a
    loop is running unless DJANGO_ALLOW_ASYNC_UNSAFE is set. It is set here only while a browser test sets up,
    runs and tears down (the flush included), never for the whole process: other tests start subprocesses that
    inherit the environment, and `manage.py check --deploy` rightly fails with it set (async.E001)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Hooks in this conftest only wrap the items under tests/browser/.
@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    with _async_unsafe_allowed():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    with _async_unsafe_allowed():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    with _async_unsafe_allowed():
        return (yield)


def _chromium_path():
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if path and os.path.exists(path):
        return path
    message = "Chromium not found (looked at $CHROMIUM_PATH and `chromium` on PATH)."
    if os.environ.get("CI") == "true":
        pytest.fail(message + " CI must provide it for the browser tests.", pytrace=False)
    pytest.skip(
        message + " Install it with `sudo apt-get install chromium` (or set CHROMIUM_PATH) to run the browser tests."
    )


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server():
    """The live server speaks plain HTTP on localhost; production defaults would redirect every request to
    https (SECURE_SSL_REDIRECT). Overridden before the live server builds its middleware, for the session."""
    from django.test.utils import override_settings

    override = override_settings(SECURE_SSL_REDIRECT=False)
    override.enable()
    yield
    override.disable()


@pytest.fixture(scope="module")
def browser():
    """One browser per test module, closed when the module is done: Playwright's sync API keeps an asyncio loop
    running in this thread while it is open, and tests that run later (pytest-django orders tests without a
    database last) call asyncio.run(), which refuses to start inside a running loop."""
    executable = _chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        if os.environ.get("CI") == "true":
            pytest.fail("The playwright package is missing: pip install -e '.[test]'", pytrace=False)
        pytest.skip("The playwright package is missing: pip install -e '.[test]'")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def gazetteer(reference_data):
    """live_server tests use a transactional database that is flushed after each test."""


class Site:
    """The live server plus what the page tried to fetch elsewhere and the script errors it raised."""

    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")
        self.blocked = []  # URLs the route handler aborted (tiles and anything else off-site)
        self.errors = []  # uncaught JavaScript errors and Content-Security-Policy refusals

    def url(self, path):
        return self.base_url + path


class InFlight:
    """Counts the live server's connection threads, so a test's teardown can wait for them to end.

    With in-memory SQLite the server's threads share the test's one connection: a request still running when the
    test ends (a session saved after the page closed, a late htmx call) holds a table lock, and the flush that ends
    the test fails with "database table is locked". The site fixture waits for the server to go quiet first."""

    def __init__(self, httpd):
        self._count = 0
        self._quiet = threading.Condition()
        serve = httpd.process_request_thread

        def counted(request, client_address):
            with self._quiet:
                self._count += 1
            try:
                serve(request, client_address)
            finally:
                with self._quiet:
                    self._count -= 1
                    self._quiet.notify_all()

        # ThreadingMixIn starts each connection's thread on self.process_request_thread: the instance attribute wins.
        httpd.process_request_thread = counted

    @classmethod
    def of(cls, live_server):
        httpd = live_server.thread.httpd
        if not hasattr(httpd, "centinela_in_flight"):
            httpd.centinela_in_flight = cls(httpd)
        return httpd.centinela_in_flight

    @property
    def count(self):
        with self._quiet:
            return self._count

    def wait_quiet(self, timeout):
        """True once no connection is being served; False if one still is after `timeout` seconds."""
        with self._quiet:
            return self._quiet.wait_for(lambda: self._count == 0, timeout=timeout)


@pytest.fixture
def in_flight(live_server):
    return InFlight.of(live_server)


@pytest.fixture
def site(live_server, gazetteer, in_flight):
    yield Site(live_server.url)
    # The pages are closed by now (their fixtures end first); their connections end with them.
    in_flight.wait_quiet(timeout=15)


def _new_page(browser, site, **context_kwargs):
    context = browser.new_context(locale="es-EC", accept_downloads=True, **context_kwargs)
    context.set_default_timeout(10_000)

    def only_local(route):
        host = urlsplit(route.request.url).hostname or ""
        if host in LOCAL_HOSTS:
            route.continue_()
        else:
            site.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.on("pageerror", lambda exc: site.errors.append(str(exc)))
    # A Content-Security-Policy refusal (centinela/lib/csp.py) is an error of the page too: every test that checks
    # site.errors checks that its pages run under the policy. Chromium's wordings: "Refused to …" (older), "…
    # violates the following Content Security Policy directive …" (Chromium 156).
    page.on(
        "console",
        lambda msg: site.errors.append("CSP: " + msg.text) if any(w in msg.text for w in CSP_REFUSAL) else None,
    )
    return context, page


@pytest.fixture
def page(browser, site):
    context, page = _new_page(browser, site, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, site):
    context, page = _new_page(
        browser, site, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=3
    )
    yield page
    context.close()


@pytest.fixture
def new_page(browser, site):
    """new_page(viewport=..., is_mobile=...) -> a page in a fresh context of its own, closed after the test (for a
    test that needs several, e.g. one per role)."""
    contexts = []

    def make(**context_kwargs):
        context, page = _new_page(browser, site, **context_kwargs)
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()


def totp_device_for(username):
    """The demo user's confirmed authenticator, made for the test when it has none, ready for a fresh code (a TOTP
    code is refused twice in the same 30 s: logging in again in a test must not meet that)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from centinela.accounts.models import User

    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return device


@pytest.fixture
def login(site):
    """login(page, "tecnico") -> fills the real login form (and, for accounts that must use a second factor, the
    code of their authenticator, which the test gives them) and waits to land on the home page."""
    from centinela.accounts.demo import DEMO_PASSWORD
    from centinela.accounts.models import User
    from centinela.accounts.services import needs_second_factor
    from centinela.accounts.tests.helpers import current_code

    def do(page, username, password=DEMO_PASSWORD):
        device = totp_device_for(username) if needs_second_factor(User.objects.get(username=username)) else None
        page.goto(site.url("/cuenta/ingresar/"))
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("form.form button[type=submit]")
        if device is not None:
            page.fill("#id_code", current_code(device))
            with page.expect_navigation():
                page.click("#second-factor button[type=submit]")
        return page

    return do


@pytest.fixture
def five_incidents(site):
    """Five robberies, three in El Sagrario and two in El Valle (a list with its map, a filter that changes it):
    (sagrario, valle). The live server's flushed database lost the taxonomy the migration loaded: put back what
    the rows need."""
    from centinela.incidents.models import Category, Incident, Source
    from centinela.incidents.taxonomy import CATEGORIES
    from centinela.territory.models import Parish

    for code, name, group in CATEGORIES:
        Category.objects.get_or_create(code=code, defaults={"name": name, "group": group})
    source = Source.objects.get_or_create(code="ecu911", defaults={"name": "ECU 911"})[0]
    robbery = Category.objects.get(code="robo-personas")
    sagrario, valle = (Parish.objects.get(code=c) for c in ("110101", "110104"))
    rows = [(sagrario, i) for i in range(3)] + [(valle, i) for i in range(2)]
    Incident.objects.bulk_create(
        Incident(
            source=source,
            category=robbery,
            occurred_at=datetime(2021, 2, 3 + i, 10, tzinfo=ZoneInfo("America/Guayaquil")),
            lon=parish.centre_lon + 0.001 * i,
            lat=parish.centre_lat,
            parish=parish,
        )
        for parish, i in rows
    )
    return sagrario, valle
