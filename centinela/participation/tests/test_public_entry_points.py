"""Residents find the citizen report pages without an account: every page an anonymous visitor reaches (the home
page sends them to the login) carries "Reportar un problema" and "Mapa de reportes" in its header; staff find the
inbox, "Reportes ciudadanos", in their menu."""

import pytest

from centinela.partners.models import Institution

ROLES = ["admin", "directora", "tecnico", "enlace.policia", "enlace.ecu911", "presidente.sagrario", "presidente.valle"]


def test_an_anonymous_visitor_is_offered_the_report_page_and_the_map(client, db):
    response = client.get("/", follow=True, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="/participa/reportar/">Reportar un problema</a>' in page
    assert '<a href="/participa/mapa/">Mapa de reportes</a>' in page
    for path in ("/participa/reportar/", "/participa/mapa/"):
        opened = client.get(path)
        assert opened.status_code == 200
        assert 'id="public-nav"' in opened.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_every_staff_role_whose_inbox_answers_finds_it_in_the_menu(role, client_for, users):
    if role.startswith("enlace."):  # a liaison reads the reports of their institution
        users[role].institution = Institution.objects.create(name=f"Institución de {role}", kind="public")
        users[role].save()
    client = client_for(role)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<a href="/participa/reportes/">Reportes ciudadanos</a>' in page
    assert client.get("/participa/reportes/").status_code == 200
    assert 'id="public-nav"' not in page  # signed in: the staff menu instead


def test_a_liaison_without_an_institution_is_not_offered_the_inbox(client_for, users):
    users["enlace.policia"].institution = None
    users["enlace.policia"].save()
    page = client_for("enlace.policia").get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "/participa/reportes/" not in page
