"""The place list's rows and exports are what they were when each row was a place with its parish and barrio as model
instances (the reference columns below are that code), for every demo role."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from centinela.accounts.demo import DEMO_USERS
from centinela.lib.choices import display
from centinela.lib.exports import Column, export_response
from centinela.territory import selectors
from centinela.territory.filters import PlaceFilter

pytestmark = pytest.mark.django_db
ROLES = [username for username, *_ in DEMO_USERS]
REFERENCE = [
    Column("name", _("Name"), lambda p: p.name, link=True),
    Column("kind", _("Type"), lambda p: display(p, "kind")),
    Column("parish", _("Parish"), lambda p: p.parish.name if p.parish else ""),
    Column("barrio", _("Barrio"), lambda p: p.barrio.name if p.barrio else ""),
    Column("lat", _("Latitude"), lambda p: p.lat),
    Column("lon", _("Longitude"), lambda p: p.lon),
    Column("location_verified", _("Verified"), lambda p: _("yes") if p.location_verified else _("no")),
]


def reference(user, params):
    filterset = PlaceFilter(params, queryset=selectors.places_for(user))
    return filterset.qs


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("params", [{}, {"kind": "bank"}, {"q": "mercado"}])
def test_place_rows_and_export_are_the_reference(client_for, users, username, params):
    client = client_for(username)
    user = users[username]
    response = client.get(reverse("territory:place_list"), params)
    assert response.status_code == 200
    assert response.context["rows"] == [
        [(c.shown(p), reverse("territory:place_detail", args=[p.pk]) if c.link else None) for c in REFERENCE]
        for p in reference(user, params)[:50]
    ]
    exported = client.get(reverse("territory:place_list"), {**params, "export": "csv"})
    assert b"".join(exported.streaming_content) == b"".join(
        export_response(reference(user, params), REFERENCE, "csv", "lugares").streaming_content
    )


@pytest.mark.parametrize("language", ["en", "es"])
def test_place_kinds_are_shown_in_each_language(client_for, users, language):
    from django.utils import translation

    client = client_for("tecnico")
    client.cookies["django_language"] = language
    response = client.get(reverse("territory:place_list"))
    with translation.override(language):
        expected = [display(p, "kind") for p in reference(users["tecnico"], {})[:50]]
    assert [row[1][0] for row in response.context["rows"]] == expected
