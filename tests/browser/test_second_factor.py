"""The login with a second factor, in a real Chromium: an administrator enrols an authenticator at the first login
(the secret read off the page, as a phone would scan it), then the next login asks for the code; a wrong code is
refused in Spanish."""

import base64
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


def _code(secret: str) -> str:
    from django_otp.oath import totp

    return f"{totp(base64.b32decode(secret)):06d}"


def _password(page, site, username="admin"):
    from centinela.accounts.demo import DEMO_PASSWORD

    page.goto(site.url("/cuenta/ingresar/"))
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("form.form button[type=submit]")


def test_an_administrator_enrols_at_the_first_login_and_then_gives_a_code(page, site, browser):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _password(page, site)
    assert urlsplit(page.url).path == "/cuenta/segundo-factor/"  # sent to enrol before anything else
    assert page.locator(".qr svg").is_visible()
    secret = page.inner_text("#totp-secret").strip()
    page.fill("#id_code", _code(secret))
    with page.expect_navigation():
        page.click("#enrol button[type=submit]")
    assert page.locator("ul.backup-codes li").count() == 10
    page.goto(site.url("/cuenta/usuarios/"))
    assert urlsplit(page.url).path == "/cuenta/usuarios/"
    assert page.locator("table.list tbody tr").count() >= 7

    # a new browser: the password, then the code; a wrong one first
    context = browser.new_context(locale="es-EC")
    other = context.new_page()
    try:
        _password(other, site)
        assert urlsplit(other.url).path == "/cuenta/ingresar/codigo/"
        other.fill("#id_code", "000000" if _code(secret) != "000000" else "111111")
        with other.expect_navigation():
            other.click("#second-factor button[type=submit]")
        assert "El código no es válido" in other.inner_text("#second-factor")
        TOTPDevice.objects.update(last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None)
        other.fill("#id_code", _code(secret))
        with other.expect_navigation():
            other.click("#second-factor button[type=submit]")
        assert urlsplit(other.url).path == "/"
        assert other.locator("nav.mainnav a[href='/cuenta/usuarios/']").is_visible()
    finally:
        context.close()


def test_the_login_helper_gives_the_administrator_a_code(page, site, login):
    login(page, "admin")
    assert urlsplit(page.url).path == "/"
    page.context.clear_cookies()
    login(page, "admin")  # again within the same 30 s: the helper frees the window
    page.goto(site.url("/cuenta/usuarios/"))
    assert urlsplit(page.url).path == "/cuenta/usuarios/"
