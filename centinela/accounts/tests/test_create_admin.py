"""`manage.py create_admin`: how a fresh install (docs/deploy.md) gets its first login, an administrator by role."""

import base64
import io
import re

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import totp

from centinela.accounts import services
from centinela.accounts.models import Role, User
from centinela.accounts.tests.helpers import current_code

pytestmark = pytest.mark.django_db
PASSWORD = "Centinela-Loja-2026-primera"


def create_admin(monkeypatch, *args, password=PASSWORD):
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command("create_admin", *args, "--password-stdin", stdout=out)
    return out.getvalue()


def test_the_first_administrator_logs_in_through_the_login_form_with_the_administrator_role(client, monkeypatch):
    out = create_admin(monkeypatch, "jefa.ti", "--email", "ti@loja.gob.ec", "--name", "María Celi")
    assert "jefa.ti" in out
    user = User.objects.get(username="jefa.ti")
    assert (user.role, user.is_superuser, user.is_staff, user.email) == (Role.ADMIN, False, True, "ti@loja.gob.ec")
    assert (user.first_name, user.last_name) == ("María", "Celi")
    assert client.post(reverse("login"), {"username": "jefa.ti", "password": PASSWORD}).status_code == 302
    # an administrator must have a second factor: the first login enrols one before any other page
    sent = client.get(reverse("audit_log"))
    assert sent.status_code == 302 and sent["Location"].startswith(reverse("second_factor"))
    device = services.pending_totp_device(user)
    enrolled = client.post(reverse("second_factor"), {"action": "confirm", "code": current_code(device)})
    assert enrolled.status_code == 200 and len(enrolled.context["codes"]) == 10
    assert client.get(reverse("audit_log")).status_code == 200  # an administrator's page
    assert LogEntry.objects.get_for_object(user).filter(action=LogEntry.Action.CREATE).count() == 1


def test_create_admin_totp_prints_a_secret_the_first_login_asks_a_code_of(client, monkeypatch):
    out = create_admin(monkeypatch, "jefa.ti", "--email", "ti@loja.gob.ec", "--totp")
    secret = re.search(r"otpauth://\S*[?&]secret=([A-Z2-7]+)", out).group(1)
    assert client.post(reverse("login"), {"username": "jefa.ti", "password": PASSWORD})["Location"] == reverse(
        "second_factor_verify"
    )
    code = f"{totp(base64.b32decode(secret)):06d}"
    assert client.post(reverse("second_factor_verify"), {"code": code})["Location"] == "/"
    assert client.get(reverse("audit_log")).status_code == 200


def test_a_weak_password_is_refused_in_spanish_and_nothing_is_created(monkeypatch):
    with pytest.raises(CommandError, match="demasiado corta"):
        create_admin(monkeypatch, "jefa.ti", password="loja")
    assert not User.objects.filter(username="jefa.ti").exists()


def test_an_existing_user_name_is_refused_whatever_its_case(monkeypatch):
    with pytest.raises(CommandError, match="Ya existe un usuario llamado Admin"):
        create_admin(monkeypatch, "Admin")
    assert User.objects.filter(username__iexact="admin").count() == 1


def test_without_a_terminal_or_password_stdin_it_says_how(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="--password-stdin"):
        call_command("create_admin", "jefa.ti")
