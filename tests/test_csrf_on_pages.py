"""Every page still carries a valid CSRF token (issue 10's web load changed how sessions, users and templates are
read): a client that enforces CSRF, as a browser's server does, posts the forms of a page with the token the page
gave it and is let through, and is refused without it or with a token that is not the page's."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from centinela.accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _signed_in(users, username="tecnico"):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login")).content.decode()
    token = TOKEN.search(page).group(1)
    response = client.post(
        reverse("login"), {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302, response.status_code
    return client


@pytest.mark.parametrize("page", ["home", "incidents:incident_list", "activities:activity_list"])
def test_a_pages_token_posts_its_forms(users, page):
    client = _signed_in(users)
    html = client.get(reverse(page)).content.decode()
    tokens = set(TOKEN.findall(html))
    assert len(tokens) == 1  # one masked token for the whole page, in every form of it
    token = tokens.pop()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert client.get(reverse("home")).status_code == 302  # logged out


def test_a_post_without_the_pages_token_is_refused(users):
    client = _signed_in(users)
    client.get(reverse("home"))
    assert client.post(reverse("logout")).status_code == 403
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": "x" * 64}).status_code == 403
    other = _signed_in(users, "directora")
    foreign = TOKEN.search(other.get(reverse("home")).content.decode()).group(1)
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": foreign}).status_code == 403
    assert client.get(reverse("home")).status_code == 200  # still signed in
