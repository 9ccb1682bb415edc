"""The second factor (TOTP with backup codes): available to everyone, required for administrators; the login asks
for the code after the password; an administrator resets another user's; API tokens are unaffected."""

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from centinela.accounts import services
from centinela.accounts.demo import DEMO_PASSWORD
from centinela.accounts.models import ApiToken, User
from centinela.accounts.tests.helpers import current_code

pytestmark = pytest.mark.django_db


def password_step(client, username):
    return client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})


def enrol(client, user):
    device = services.pending_totp_device(user)
    response = client.post(reverse("second_factor"), {"action": "confirm", "code": current_code(device)})
    assert response.status_code == 200, response.content[:500]
    device.refresh_from_db()
    return device, response.context["codes"]


def fresh(device):
    """A TOTP code is accepted once per 30 s window: the next login in the same test needs the window freed."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return device


def test_an_administrator_without_a_second_factor_is_sent_to_enrol_before_anything_else(client):
    assert password_step(client, "admin").status_code == 302
    for name in ("home", "territory:parish_list", "user_list", "audit_log"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("second_factor")), name
    assert client.get("/admin/").status_code == 302  # the Django admin too
    page = client.get(reverse("second_factor")).content.decode()
    assert "<svg" in page and "totp-secret" in page
    device, codes = enrol(client, User.objects.get(username="admin"))
    assert device.confirmed and len(codes) == 10
    assert client.get(reverse("user_list")).status_code == 200
    assert LogEntry.objects.get_for_object(device.user).filter(changes__icontains="second_factor").exists()


def test_others_may_go_without_one(client):
    password_step(client, "tecnico")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("second_factor")).status_code == 200  # offered, not imposed


def test_once_enrolled_the_login_asks_for_the_code_and_refuses_a_wrong_one_in_spanish(client):
    password_step(client, "tecnico")
    device, _codes = enrol(client, User.objects.get(username="tecnico"))
    client.post(reverse("logout"))
    other = Client()
    response = password_step(other, "tecnico")
    assert response["Location"] == reverse("second_factor_verify")
    assert other.get(reverse("home")).status_code == 302  # the password alone logs nobody in
    wrong = other.post(
        reverse("second_factor_verify"), {"code": "000000" if current_code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and "El código no es válido" in wrong.content.decode()
    assert other.get(reverse("home"))["Location"].startswith(reverse("login"))
    # django-otp slows down guessing after a failure: the right code is taken once that delay is over
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    ok = other.post(reverse("second_factor_verify"), {"code": current_code(fresh(device))})
    assert ok.status_code == 302 and ok["Location"] == "/"
    assert other.get(reverse("home")).status_code == 200


def test_a_backup_code_works_once(client):
    password_step(client, "tecnico")
    _device, codes = enrol(client, User.objects.get(username="tecnico"))
    first = Client()
    password_step(first, "tecnico")
    assert first.post(reverse("second_factor_verify"), {"code": codes[0]})["Location"] == "/"
    assert first.get(reverse("home")).status_code == 200
    assert StaticToken.objects.filter(device__user__username="tecnico").count() == 9
    again = Client()
    password_step(again, "tecnico")
    refused = again.post(reverse("second_factor_verify"), {"code": codes[0]})
    assert refused.status_code == 200 and refused.context["form"].errors
    assert again.get(reverse("home")).status_code == 302


def test_a_pending_login_gives_up_after_five_wrong_codes(client):
    password_step(client, "tecnico")
    enrol(client, User.objects.get(username="tecnico"))
    other = Client()
    password_step(other, "tecnico")
    for _ in range(5):
        other.post(reverse("second_factor_verify"), {"code": "12345x"})
    assert other.get(reverse("second_factor_verify"))["Location"] == reverse("login")


def test_an_administrator_resets_another_users_second_factor_audited(client, client_for, users):
    password_step(client, "tecnico")
    enrol(client, users["tecnico"])
    admin = client_for("admin")
    page = admin.get(reverse("user_detail", args=[users["tecnico"].pk])).content.decode()
    assert reverse("user_reset_second_factor", args=[users["tecnico"].pk]) in page
    assert admin.post(reverse("user_reset_second_factor", args=[users["tecnico"].pk])).status_code == 302
    assert not TOTPDevice.objects.filter(user=users["tecnico"]).exists()
    assert not StaticToken.objects.filter(device__user=users["tecnico"]).exists()
    entry = LogEntry.objects.get_for_object(users["tecnico"]).latest("timestamp")
    assert entry.actor.username == "admin" and "second_factor" in entry.changes_dict
    # the password alone logs the user in again
    other = Client()
    assert password_step(other, "tecnico")["Location"] == "/"


def test_api_tokens_are_unaffected_and_a_session_owing_its_code_is_anonymous_to_the_api(client):
    admin = User.objects.get(username="admin")
    key = services.issue_token(admin, "programa")
    assert Client().get("/api/parishes", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    password_step(client, "admin")  # no device yet: the session owes its enrolment
    assert client.get("/api/parishes").status_code == 401
    assert ApiToken.objects.filter(user=admin).exists()


def test_the_server_command_resets_a_lost_second_factor(client):
    import io

    from django.core.management import call_command

    password_step(client, "admin")
    enrol(client, User.objects.get(username="admin"))
    out = io.StringIO()
    call_command("reset_second_factor", "ADMIN", stdout=out)
    assert "admin" in out.getvalue() and not TOTPDevice.objects.filter(user__username="admin").exists()
    entry = LogEntry.objects.get_for_object(User.objects.get(username="admin")).latest("timestamp")
    assert entry.actor is None and "second_factor" in entry.changes_dict
    assert password_step(Client(), "admin")["Location"] == "/"  # then enrols again (the middleware)


@pytest.mark.parametrize("target", ["ab", "home", "?x=1", "https://evil.example/", "//evil.example/"])
def test_a_next_that_is_not_an_address_of_the_site_goes_home_never_a_500(client, target):
    """Found by the NUL probe of every address (issue 12): ?next=ab was taken by redirect() for a view's name
    (NoReverseMatch, a 500) for a user already past the code."""
    password_step(client, "tecnico")
    response = client.get(reverse("second_factor_verify"), {"next": target})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    response = client.get(reverse("second_factor_verify"), {"next": "/participa/mapa/"})
    assert response.status_code == 302 and response["Location"] == "/participa/mapa/"
