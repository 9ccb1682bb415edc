"""`manage.py create_admin`: how a fresh install (docs/deploy.md) gets its first login, an administrator by role."""
import io

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.urls import reverse

from centinela.accounts.models import Role, User

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
    assert client.get(reverse("audit_log")).status_code == 200  # an administrator's page
    assert LogEntry.objects.get_for_object(user).get().action == LogEntry.Action.CREATE


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
