"""The incident list's rows, links and exports are what they were when each row was an incident with its category,
source, parish and barrio as model instances (the reference columns below are that code), for every demo role."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from centinela.accounts.demo import DEMO_USERS
from centinela.incidents import selectors
from centinela.incidents.filters import IncidentFilter
from centinela.incidents.models import Category, Incident, Source
from centinela.lib.choices import display
from centinela.lib.exports import Column, export_response
from centinela.territory.models import Barrio, Parish

pytestmark = pytest.mark.django_db
LOJA = ZoneInfo("America/Guayaquil")
ROLES = [username for username, *_ in DEMO_USERS]


def _local(value):
    return timezone.localtime(value) if value else None


def _shown(value):
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


# the headers in Spanish, as the exports write them (issue 13 item 1)
REFERENCE = [
    Column(
        "occurred_at",
        "Ocurrido el",
        lambda i: _local(i.occurred_at),
        link=True,
        display=lambda i: _shown(i.occurred_at),
    ),
    Column("category", "Categoría", lambda i: i.category.code, display=lambda i: i.category.name),
    Column("group", "Grupo", lambda i: i.category.group, display=lambda i: display(i.category, "group")),
    Column("source", "Fuente", lambda i: i.source.code, display=lambda i: i.source.name),
    Column("source_ref", "Identificador en la fuente", lambda i: i.source_ref),
    Column("parish", "Parroquia", lambda i: i.parish.name if i.parish_id else ""),
    Column("barrio", "Barrio", lambda i: i.barrio.name if i.barrio_id else ""),
    Column("status", "Estado", lambda i: i.status, display=lambda i: display(i, "status")),
    Column("reported_at", "Reportado el", lambda i: _local(i.reported_at), on_page=False),
    Column(
        "time_known",
        "Hora conocida",
        lambda i: i.time_known,
        on_page=False,
        text=lambda i: "sí" if i.time_known else "no",
    ),
]
LOCATION = [
    Column("lat", "Latitud", lambda i: i.lat, on_page=False),
    Column("lon", "Longitud", lambda i: i.lon, on_page=False),
    Column("precision", "Precisión", lambda i: i.precision, on_page=False, display=lambda i: display(i, "precision")),
    Column("address", "Dirección", lambda i: i.address, on_page=False),
]


@pytest.fixture
def incidents(db):
    sources = list(Source.objects.all()[:3])
    categories = list(Category.objects.all()[:6])
    valle, sagrario = Parish.objects.get(code="110104"), Parish.objects.get(code="110101")
    barrio = Barrio.objects.filter(parish=sagrario).first()
    rows = []
    for i in range(70):
        parish = (valle, sagrario, None)[i % 3]
        rows.append(
            Incident(
                source=sources[i % len(sources)],
                category=categories[i % len(categories)],
                parish=parish,
                barrio=barrio if parish == sagrario and i % 2 else None,
                lon=-79.2,
                lat=-4.0 + i / 1000,
                source_ref=f"=ref {i} <b>",
                address=f"Calle {i} & otra",
                status=("reported", "verified", "discarded")[i % 3],
                occurred_at=datetime(2024, 1 + i % 12, 1 + i % 27, i % 24, i % 60, tzinfo=LOJA),
                reported_at=None if i % 4 else datetime(2024, 2, 3, 4, 5, tzinfo=LOJA),
            )
        )
    Incident.objects.bulk_create(rows)


def reference_rows(user, params):
    filterset = IncidentFilter(params, queryset=selectors.incidents_for(user), request=None)
    qs = filterset.qs if filterset.is_valid() else Incident.objects.none()
    columns = [c for c in REFERENCE if c.on_page]
    return [
        [(c.shown(i), reverse("incidents:incident_detail", args=[i.pk]) if c.link else None) for c in columns]
        for i in qs[:50]
    ]


def reference_export(user, params, fmt="csv"):
    filterset = IncidentFilter(params, queryset=selectors.incidents_for(user), request=None)
    columns = REFERENCE + (LOCATION if selectors.sees_exact_location(user) else [])
    return b"".join(export_response(filterset.qs, columns, fmt, "incidentes").streaming_content)


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("params", [{}, {"group": "property"}, {"q": "ref 1"}, {"status": "verified", "page": "1"}])
def test_incident_rows_are_the_reference(client_for, users, incidents, username, params):
    response = client_for(username).get(reverse("incidents:incident_list"), params)
    assert response.status_code == 200
    params = {k: v for k, v in params.items() if k != "page"}
    assert response.context["rows"] == reference_rows(users[username], params)


@pytest.mark.parametrize("username", ROLES)
def test_incident_csv_export_is_the_reference(client_for, users, incidents, username):
    response = client_for(username).get(reverse("incidents:incident_list"), {"export": "csv"})
    exported = b"".join(response.streaming_content)
    assert exported == reference_export(users[username], {})
    assert exported.decode("utf-8").startswith("\ufeffOcurrido el,Categoría,Grupo,Fuente,Identificador en la fuente,")
    if selectors.sees_exact_location(users[username]):  # the precision's code as its label, in Spanish
        assert ",Exacta," in exported.decode("utf-8") and ",exact," not in exported.decode("utf-8")


def options(response, name) -> list[tuple[str, str]]:
    import html
    import re

    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', response.content.decode(), re.S).group(1)
    return [
        (html.unescape(v), html.unescape(label).strip())
        for v, label in re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', select, re.S)
    ]


@pytest.mark.parametrize("username", ROLES)
def test_incident_filter_choices_are_the_reference(client_for, users, username):
    from centinela.accounts.permissions import scope

    user = users[username]
    response = client_for(username).get(reverse("incidents:incident_list"))
    blank = [("", "Todos")]  # lib.filters: "Todos", never "---------"
    assert options(response, "category") == blank + [(str(c.pk), str(c)) for c in Category.objects.all()]
    assert options(response, "source") == blank + [(str(s.pk), str(s)) for s in Source.objects.all()]
    assert options(response, "parish") == blank + [(str(p.pk), str(p)) for p in scope(user, Parish.objects.all())]
    assert options(response, "barrio") == blank + [
        (str(b.pk), str(b)) for b in scope(user, Barrio.objects.select_related("parish"))
    ]
    valle = Parish.objects.get(code="110104")
    chosen = client_for(username).get(reverse("incidents:incident_list"), {"parish": valle.pk})
    assert chosen.context["filter"].is_valid() == scope(user, Parish.objects.filter(pk=valle.pk)).exists()


@pytest.mark.parametrize("language", ["en", "es"])
def test_incident_rows_are_the_reference_in_each_language(client_for, users, incidents, language):
    from django.utils import translation

    client = client_for("tecnico")
    client.cookies["django_language"] = language
    response = client.get(reverse("incidents:incident_list"))
    with translation.override(language):
        assert response.context["rows"] == reference_rows(users["tecnico"], {})
