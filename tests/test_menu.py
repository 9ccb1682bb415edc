"""{% main_menu %} (lib/menu.py): the menu's links are rendered once per language and set of rights and kept; what
is kept is what rendering them now gives, for every combination, and a change of language, rights or URL
configuration is never answered with another's links."""

import pytest
from django.template import engines
from django.template.context import Context
from django.test import override_settings
from django.urls import NoReverseMatch, path
from django.utils import translation

from centinela.lib import menu

TAG = "{% load menu %}{% main_menu %}"


def _fresh(rights):
    template = engines["django"].engine.get_template("lib/menu.html")
    return template.render(Context(rights)).rstrip("\n")


@pytest.mark.parametrize("language", ["es-ec", "en"])
@pytest.mark.parametrize("audit", [False, True])
@pytest.mark.parametrize("users", [False, True])
def test_kept_links_are_the_fresh_links(language, audit, users):
    rights = {"can_read_audit": audit, "can_administer_users": users}
    tag = engines["django"].from_string(TAG)
    with translation.override(language):
        for _ in range(2):  # rendered, then kept
            html = tag.render(rights)
            assert html == _fresh(rights)
    assert ("/cuenta/auditoria/" in html) == audit
    assert ("/cuenta/usuarios/" in html) == users


def test_one_language_is_never_answered_with_the_other():
    tag = engines["django"].from_string(TAG)
    with translation.override("es-ec"):
        spanish = tag.render({})
    with translation.override("en"):
        english = tag.render({})
    assert "Actividades" in spanish and "Activities" not in spanish
    assert "Activities" in english and "Actividades" not in english


def test_rights_are_part_of_the_key():
    tag = engines["django"].from_string(TAG)
    with translation.override("es-ec"):
        assert "/cuenta/usuarios/" in tag.render({"can_administer_users": True})
        assert "/cuenta/usuarios/" not in tag.render({"can_administer_users": False})


def _view(request):  # pragma: no cover - only reversed
    raise AssertionError


urlpatterns = [path(f"otra/{name}/", _view, name=name) for name in ("home", "audit_log", "user_list")]


def test_another_url_configuration_renders_anew():
    tag = engines["django"].from_string(TAG)
    tag.render({})
    with override_settings(ROOT_URLCONF=__name__):
        with pytest.raises(NoReverseMatch):  # the menu's other names do not exist in this configuration
            tag.render({})
    assert menu._rendered  # kept for the real configuration, which still answers
    assert 'href="/"' in tag.render({})


@pytest.mark.parametrize(
    "right", ["can_read_agreements", "can_read_council", "can_read_annual_report", "can_read_committees"]
)
def test_registered_rights_are_part_of_the_key(right):
    """The apps' rights (lib.menu.register_right) show or hide their link, and a menu kept for one value is never
    given for the other."""
    link = {
        "can_read_agreements": "/socios/convenios/",
        "can_read_council": "/actividades/concejo/sesiones/",
        "can_read_committees": "/participa/comites/",
    }.get(right, "/informes/anual/")
    assert right in menu._checks
    tag = engines["django"].from_string(TAG)
    with translation.override("es-ec"):
        for _ in range(2):
            assert link in tag.render({right: True})
            assert link not in tag.render({right: False})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "shown"),
    [("admin", True), ("directora", True), ("tecnico", True), ("enlace.policia", True), ("presidente.valle", False)],
)
def test_each_role_sees_the_links_its_pages_answer(username, shown, rf):
    from centinela.accounts.models import User

    request = rf.get("/")
    request.user = User.objects.get(username=username)
    tag = engines["django"].from_string(TAG)
    with translation.override("es-ec"):
        html = tag.render({"request": request, "user": request.user})
    for link in ("/socios/convenios/", "/actividades/concejo/sesiones/", "/informes/anual/"):
        assert (link in html) == shown, link
    assert "/actividades/" in html and "/territorio/parroquias/" in html
