"""The council administrator's user administration (/cuenta/usuarios/): list, create, edit, deactivate, set-password
links; administrators only; every change in the audit trail with the acting user."""

import re

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from centinela.accounts import services
from centinela.accounts.demo import DEMO_PASSWORD
from centinela.accounts.models import Role, User
from centinela.partners.models import Institution
from centinela.territory.models import Parish

pytestmark = pytest.mark.django_db

OTHERS = ["directora", "tecnico", "enlace.policia", "enlace.ecu911", "presidente.sagrario", "presidente.valle"]


def new_user(**fields):
    data = {
        "username": "ana.ruiz",
        "first_name": "Ana",
        "last_name": "Ruiz",
        "email": "ana@loja.gob.ec",
        "role": Role.TECHNICIAN,
        "institution": "",
        "parish": "",
        "phone": "",
        "cedula": "",
        "send_link": "on",
    }
    data.update(fields)
    return data


def test_the_menu_leads_the_administrator_to_the_user_pages_not_the_django_admin(client_for):
    page = client_for("admin").get(reverse("home")).content.decode()
    assert reverse("user_list") in page and reverse("admin:index") not in page
    assert reverse("user_list") not in client_for("directora").get(reverse("home")).content.decode()


def test_the_administrator_lists_users_with_their_last_login_and_filters_them(client_for, users):
    User.objects.filter(username="tecnico").update(last_login=timezone.make_aware(timezone.datetime(2026, 5, 4, 9, 30)))
    c = client_for("admin")
    page = c.get(reverse("user_list")).content.decode()
    assert "tecnico" in page and "04/05/2026 09:30" in page and "enlace.policia" in page
    liaisons = c.get(reverse("user_list"), {"role": "liaison"})
    assert {row[0][0] for row in liaisons.context["rows"]} == {"enlace.policia", "enlace.ecu911"}
    found = c.get(reverse("user_list"), {"q": "Sagrario"})
    assert [row[0][0] for row in found.context["rows"]] == ["presidente.sagrario"]
    User.objects.filter(username="tecnico").update(is_active=False)
    inactive = c.get(reverse("user_list"), {"is_active": "false"})
    assert [row[0][0] for row in inactive.context["rows"]] == ["tecnico"]


@pytest.mark.parametrize("username", OTHERS)
def test_every_other_role_is_refused_every_user_page(client_for, users, username):
    c = client_for(username)
    target = users["tecnico"].pk
    for name, args, method in [
        ("user_list", [], "get"),
        ("user_create", [], "get"),
        ("user_detail", [target], "get"),
        ("user_edit", [target], "get"),
        ("user_set_active", [target], "post"),
        ("user_password_link", [target], "post"),
        ("user_reset_second_factor", [target], "post"),
    ]:
        assert getattr(c, method)(reverse(name, args=args)).status_code == 403, name
    assert c.get(reverse("user_list"), {"export": "csv"}).status_code == 403
    assert User.objects.get(pk=target).is_active


def test_the_administrator_creates_an_account_that_gets_a_set_password_link_which_works(client_for, client, users):
    response = client_for("admin").post(reverse("user_create"), new_user())
    user = User.objects.get(username="ana.ruiz")
    assert response.status_code == 302 and response["Location"] == reverse("user_detail", args=[user.pk])
    assert user.role == Role.TECHNICIAN and not user.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana@loja.gob.ec"]
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = client.post(set_url, {"new_password1": "Clave-nueva-de-Ana-7", "new_password2": "Clave-nueva-de-Ana-7"})
    assert done.status_code == 302
    assert (
        client.post(reverse("login"), {"username": "ana.ruiz", "password": "Clave-nueva-de-Ana-7"}).status_code == 302
    )
    assert client.get(reverse("home")).status_code == 200
    # audited: created by the administrator, and the link sent
    entries = LogEntry.objects.get_for_object(user)
    assert {e.actor.username for e in entries} == {"admin"}
    assert entries.filter(action=LogEntry.Action.CREATE).exists()
    assert any("set_password_link" in (e.changes_dict or {}) for e in entries)


def test_a_parish_president_needs_a_parish_and_a_liaison_an_institution(client_for):
    c = client_for("admin")
    president = c.post(reverse("user_create"), new_user(role=Role.PARISH_PRESIDENT))
    assert president.status_code == 200 and "parish" in president.context["form"].errors
    liaison = c.post(reverse("user_create"), new_user(role=Role.LIAISON))
    assert liaison.status_code == 200 and "institution" in liaison.context["form"].errors
    assert not User.objects.filter(username="ana.ruiz").exists()
    fiscalia = Institution.objects.create(name="Fiscalía Provincial de Loja (prueba)", kind="public")
    ok = c.post(reverse("user_create"), new_user(role=Role.LIAISON, institution=fiscalia.pk, send_link=""))
    assert ok.status_code == 302 and User.objects.get(username="ana.ruiz").institution == fiscalia
    assert mail.outbox == []  # no link asked for
    sagrario = Parish.objects.get(code="110101")
    ok = c.post(reverse("user_create"), new_user(username="pedro", role=Role.PARISH_PRESIDENT, parish=sagrario.pk))
    assert ok.status_code == 302 and User.objects.get(username="pedro").parish == sagrario


def test_the_administrator_edits_role_and_parish_audited_with_the_actor(client_for, users):
    target = users["tecnico"]
    sagrario = Parish.objects.get(code="110101")
    response = client_for("admin").post(
        reverse("user_edit", args=[target.pk]),
        new_user(
            username="tecnico",
            email="tecnico@centinela.invalid",
            role=Role.PARISH_PRESIDENT,
            parish=sagrario.pk,
            phone="0991234567",
        ),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.role, target.parish) == (Role.PARISH_PRESIDENT, sagrario)
    entry = LogEntry.objects.get_for_object(target).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor.username == "admin" and "role" in entry.changes_dict
    assert "0991234567" not in str(entry.changes)  # personal data masked in the trail


def test_deactivate_and_reactivate_never_delete(client_for, client, users):
    c = client_for("admin")
    target = users["tecnico"]
    assert c.post(reverse("user_set_active", args=[target.pk]), {"active": "0"}).status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    assert client.post(reverse("login"), {"username": "tecnico", "password": DEMO_PASSWORD}).status_code == 200
    assert LogEntry.objects.get_for_object(target).latest("timestamp").actor.username == "admin"
    c.post(reverse("user_set_active", args=[target.pk]), {"active": "1"})
    target.refresh_from_db()
    assert target.is_active and User.objects.filter(pk=target.pk).exists()


def test_an_administrator_cannot_deactivate_themself_nor_remove_the_last_administrator(client_for, users):
    admin = users["admin"]
    c = client_for("admin")
    response = c.post(reverse("user_set_active", args=[admin.pk]), {"active": "0"}, follow=True)
    admin.refresh_from_db()
    assert admin.is_active and "propia cuenta" in response.content.decode()
    # nor take away their own role
    form = c.post(reverse("user_edit", args=[admin.pk]), new_user(username="admin", email="a@b.ec", role=Role.DIRECTOR))
    assert form.status_code == 200 and form.context["form"].errors
    # a second administrator may be deactivated while the first remains, but never the last active one
    other = User.objects.create_user("admin2", email="admin2@loja.gob.ec", role=Role.ADMIN)
    assert c.post(reverse("user_set_active", args=[other.pk]), {"active": "0"}).status_code == 302
    other.refresh_from_db()
    assert not other.is_active
    # the last active administrator stays one, whoever asks (here a Django superuser, who is no administrator by role)
    root = User.objects.create_superuser("root", "root@loja.gob.ec", "Raiz-de-pruebas-1", role=Role.TECHNICIAN)
    with pytest.raises(ValidationError, match="último administrador activo"):
        services.set_active(root, admin, False)
    admin.role = Role.DIRECTOR
    with pytest.raises(ValidationError, match="último administrador activo"):
        services.save_user(root, admin)
    assert User.objects.get(pk=admin.pk).role == Role.ADMIN and User.objects.get(pk=admin.pk).is_active


def test_personal_data_shows_on_the_user_page_for_the_administrator(client_for, users):
    User.objects.filter(username="tecnico").update(cedula="1104567890", phone="0991234567")
    page = client_for("admin").get(reverse("user_detail", args=[users["tecnico"].pk])).content.decode()
    assert "1104567890" in page and "0991234567" in page
