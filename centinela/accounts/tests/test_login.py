import re

import pytest
from django.core import mail
from django.urls import reverse

from centinela.accounts.models import User
from centinela.accounts.services import DEMO_PASSWORD

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
