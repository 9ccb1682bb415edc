import re

import pytest
from django.core import mail
from django.urls import reverse

from centinela.accounts.demo import DEMO_PASSWORD
from centinela.accounts.models import User

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_with_the_right_password(client):
    response = login(client, "tecnico", DEMO_PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_passwords_are_hashed_with_argon2(users):
    assert users["tecnico"].password.startswith("argon2")


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = login(client, "tecnico", "wrong-password")
        assert response.status_code in (200, 429)
    locked = login(client, "tecnico", DEMO_PASSWORD)
    assert locked.status_code == 429
    assert client.get(reverse("home")).status_code == 302  # still not logged in


def test_behind_the_proxy_a_lockout_holds_the_attackers_address_not_everyones(client, settings):
    """Every request reaches gunicorn from the proxy (127.0.0.1); the address that counts is the one the proxy
    appended to X-Forwarded-For, not what the client put there itself."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    def via_proxy(address, password, claimed=""):
        forwarded = f"{claimed}, {address}" if claimed else address
        return client.post(
            reverse("login"),
            {"username": "tecnico", "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
            HTTP_X_FORWARDED_PROTO="https",
            secure=True,
        )

    for n in range(settings.AXES_FAILURE_LIMIT):
        # the attacker claims a fresh address each time: the proxy's entry is the one counted
        via_proxy("203.0.113.5", "wrong-password", claimed=f"10.0.0.{n}")
    assert via_proxy("203.0.113.5", DEMO_PASSWORD).status_code == 429
    assert via_proxy("198.51.100.7", DEMO_PASSWORD).status_code == 302  # the real user elsewhere still logs in


def test_password_reset_by_email(client):
    user = User.objects.get(username="tecnico")
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(set_url, {"new_password1": "Otra-clave-segura-77", "new_password2": "Otra-clave-segura-77"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Otra-clave-segura-77")


def test_weak_passwords_are_refused(client_for):
    c = client_for("tecnico")
    response = c.post(
        reverse("password_change"), {"old_password": DEMO_PASSWORD, "new_password1": "123", "new_password2": "123"}
    )
    assert response.status_code == 200 and response.context["form"].errors


def test_password_resets_are_limited_per_email_and_per_address(client, settings):
    """Anyone may ask for a reset link: without a limit, anyone could have the council's mail server send an account's
    owner reset messages without end. Past it the page answers as always (it says nothing of the account) and sends
    nothing."""
    from centinela.accounts import services

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "reset"}}
    user = User.objects.get(username="tecnico")
    for _ in range(services.PASSWORD_RESETS_PER_EMAIL + 2):
        assert client.post(reverse("password_reset"), {"email": user.email}).status_code == 302
    assert len(mail.outbox) == services.PASSWORD_RESETS_PER_EMAIL
    # one address asking for many e-mail addresses (whether they exist or not) meets the address's limit
    other = User.objects.get(username="directora")
    for n in range(services.PASSWORD_RESETS_PER_ADDRESS):
        client.post(reverse("password_reset"), {"email": f"nadie{n}@example.org"})
    assert client.post(reverse("password_reset"), {"email": other.email}).status_code == 302
    assert len(mail.outbox) == services.PASSWORD_RESETS_PER_EMAIL
    # from another address, the other account's owner still gets their link
    client.post(reverse("password_reset"), {"email": other.email}, REMOTE_ADDR="192.0.2.9")
    assert len(mail.outbox) == services.PASSWORD_RESETS_PER_EMAIL + 1 and mail.outbox[-1].to == [other.email]
