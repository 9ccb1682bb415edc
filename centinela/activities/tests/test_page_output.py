"""The activity map and the activity list show what they did when every row was a model instance with its related
records and its own reverse() (the reference below is that code), for every demo role and with filters."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from centinela.accounts.demo import DEMO_USERS
from centinela.activities.filters import ActivityFilter
from centinela.activities.models import Activity
from centinela.activities.selectors import plans as selectors
from centinela.activities.tests import factories as f
from centinela.lib.choices import display
from centinela.territory import geometry

pytestmark = pytest.mark.django_db
ROLES = [username for username, *_ in DEMO_USERS]


@pytest.fixture
def activities(db):
    f.activity("Fumigación", parish_code="110101", place="Parque Jipiro", month=3, day=10)
    f.activity(
        "Charla", kind="campaign", parish_code="110104", status="done", month=4, day=2, prog=f.programme("campaigns")
    )
    f.activity("Operativo & <control>", parish_code="110104", month=5, day=20, status="cancelled")
    f.activity("Sin lugar", parish_code="110101", month=6, day=1, place="Mercado Mayorista")
    return Activity.objects.all()


def reference_features(user, params) -> list:
    qs = selectors.activities_for(user)
    filterset = ActivityFilter(params, queryset=qs)
    features = []
    for a in filterset.qs if filterset.is_valid() else qs.none():
        if a.place_id:
            xy = a.place.lon, a.place.lat
        elif a.parish_id and a.parish.centre_lon is not None:
            xy = a.parish.centre_lon, a.parish.centre_lat
        else:
            continue
        features.append(
            geometry.feature(
                geometry.point(*xy),
                {
                    "id": a.pk,
                    "name": a.title,
                    "kind": a.kind,
                    "kind_label": str(display(a, "kind")),
                    "status": str(display(a, "status")),
                    "date": timezone.localtime(a.starts_at).strftime("%d/%m/%Y"),
                    "parish": a.parish.name if a.parish else "",
                    "url": reverse("activities:activity_detail", args=[a.pk]),
                },
            )
        )
    return json.loads(json.dumps(features))


def page_layers(response) -> dict:
    found = re.search(
        r'<script id="map-layers" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(found.group(1))


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("params", [{}, {"kind": "campaign"}, {"status": "cancelled"}, {"q": "lugar"}])
def test_activity_map_is_the_reference(client_for, users, activities, username, params):
    response = client_for(username).get(reverse("activities:activity_map"), params)
    assert response.status_code == 200
    user = users[username]
    features = page_layers(response)["activities"]["features"]
    assert features == reference_features(user, params)
    assert response.context["count"] == ActivityFilter(params, queryset=selectors.activities_for(user)).qs.count()


@pytest.mark.parametrize("username", ROLES)
def test_activity_list_rows_link_to_their_records(client_for, users, activities, username):
    response = client_for(username).get(reverse("activities:activity_list"))
    expected = list(selectors.activities_for(users[username]))
    rows = response.context["rows"]
    assert len(rows) == len(expected)
    for row, activity in zip(rows, expected):
        assert row[0][0] == activity.pk
        assert row[1] == (activity.title, reverse("activities:activity_detail", args=[activity.pk]))
        assert row[2][0] == activity.programme.code
        assert row[6][0] == (activity.parish.name if activity.parish else "")
        assert row[7][0] == (activity.place.name if activity.place else "")


def options(response, name) -> list[tuple[str, str]]:
    import html

    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', response.content.decode(), re.S).group(1)
    return [
        (html.unescape(v), html.unescape(label).strip())
        for v, label in re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', select, re.S)
    ]


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("url", ["activities:activity_map", "activities:activity_list"])
def test_filter_choices_are_the_reference(client_for, users, activities, username, url):
    from centinela.accounts.permissions import scope
    from centinela.activities.models import Programme
    from centinela.partners.models import Institution
    from centinela.territory.models import Parish

    user = users[username]
    response = client_for(username).get(reverse(url))
    blank = [("", "Todos")]  # lib.filters: "Todos", never "---------"
    assert options(response, "programme") == blank + [
        (str(p.pk), str(p)) for p in scope(user, Programme.objects.select_related("plan"))
    ]
    assert options(response, "partner") == blank + [(str(i.pk), str(i)) for i in Institution.objects.all()]
    assert options(response, "parish") == blank + [(str(p.pk), str(p)) for p in scope(user, Parish.objects.all())]


def _reference_local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


# (key, the header in Spanish, value, what the page shows): exports write the header and, for a code, what the page
# shows (issue 13 item 1)
REFERENCE = [
    ("id", "N.º", lambda a: a.pk, None),
    ("title", "Título", lambda a: a.title, None),
    ("programme", "Programa", lambda a: a.programme.code, None),
    ("kind", "Tipo", lambda a: a.kind, lambda a: display(a, "kind")),
    ("starts_at", "Inicio", lambda a: _reference_local(a.starts_at), None),
    ("ends_at", "Fin", lambda a: _reference_local(a.ends_at), None),
    ("parish", "Parroquia", lambda a: a.parish.code if a.parish else "", lambda a: a.parish.name if a.parish else ""),
    ("place", "Lugar", lambda a: a.place.name if a.place else "", None),
    ("status", "Estado", lambda a: a.status, lambda a: display(a, "status")),
    ("status_reason", "Motivo", lambda a: a.status_reason, None),
    ("budget_planned", "Planificado (USD)", lambda a: float(a.budget_planned), None),
    ("budget_executed", "Ejecutado (USD)", lambda a: float(a.budget_executed), None),
    ("description", "Descripción", lambda a: a.description, "export only"),
]


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("params", [{}, {"kind": "campaign"}, {"q": "lugar"}])
def test_activity_list_and_export_are_the_reference(client_for, users, activities, username, params):
    from centinela.lib.exports import Column, export_response

    user = users[username]
    columns = [
        Column(
            key,
            label,
            value,
            link=key == "title",
            display=None if shown == "export only" else shown,
            on_page=shown != "export only",
        )
        for key, label, value, shown in REFERENCE
    ]
    qs = ActivityFilter(params, queryset=selectors.activities_for(user)).qs
    client = client_for(username)
    response = client.get(reverse("activities:activity_list"), params)
    assert response.context["rows"] == [
        [
            (c.shown(a), reverse("activities:activity_detail", args=[a.pk]) if c.link else None)
            for c in columns
            if c.on_page
        ]
        for a in qs[:50]
    ]
    exported = b"".join(client.get(reverse("activities:activity_list"), {**params, "export": "csv"}).streaming_content)
    assert exported == b"".join(export_response(qs, columns, "csv", "actividades").streaming_content)
    assert exported.decode("utf-8").startswith(
        "\ufeffN.º,Título,Programa,Tipo,Inicio,Fin,Parroquia,Lugar,Estado,Motivo,"
    )


@pytest.mark.parametrize("username", ROLES)
def test_home_lists_the_coming_activities_it_did(client_for, users, username):
    from datetime import timedelta

    now = timezone.now()
    for i, (title, code) in enumerate([("Pronto A", "110101"), ("Pronto B", "110104"), ("Cancelada", "110104")]):
        activity = f.activity(title, parish_code=code, status="cancelled" if title == "Cancelada" else "planned")
        Activity.objects.filter(pk=activity.pk).update(starts_at=now + timedelta(days=i + 1))
    response = client_for(username).get("/")
    expected = (
        selectors.activities_for(users[username])
        .filter(starts_at__gte=now, starts_at__lte=now + timedelta(days=14))
        .exclude(status="cancelled")
        .order_by("starts_at")[:8]
    )
    shown = [(a.title, a.starts_at, a.get_absolute_url()) for a in response.context["upcoming"]]
    assert shown == [(a.title, a.starts_at, reverse("activities:activity_detail", args=[a.pk])) for a in expected]
    page = response.content.decode()
    assert all(f'href="{url}"' in page for _t, _s, url in shown)


@pytest.mark.parametrize("language", ["en", "es"])
def test_activity_rows_are_the_reference_in_each_language(client_for, users, activities, language):
    from django.utils import translation

    client = client_for("directora")
    client.cookies["django_language"] = language
    response = client.get(reverse("activities:activity_list"))
    with translation.override(language):
        expected = [(display(a, "kind"), display(a, "status")) for a in selectors.activities_for(users["directora"])]
    assert [(row[3][0], row[8][0]) for row in response.context["rows"]] == expected
    assert len({kind for kind, _status in expected}) > 1
