from datetime import UTC, datetime

from centinela.accounts.permissions import can, scope
from centinela.incidents.models import Category, Incident, Source
from centinela.incidents.selectors import incidents_for
from centinela.territory.models import Parish


def make(parish_code, ref):
    parish = Parish.objects.get(code=parish_code)
    return Incident.objects.create(
        source=Source.objects.get(code="ecu911"),
        source_ref=ref,
        category=Category.objects.get(code="robo-motos"),
        occurred_at=datetime(2021, 1, 1, 12, tzinfo=UTC),
        lon=parish.centre_lon,
        lat=parish.centre_lat,
        parish=parish,
    )


def test_a_parish_president_sees_only_their_parish(users):
    mine, other = make("110101", "A"), make("110104", "B")
    president = users["presidente.sagrario"]
    assert list(scope(president, Incident.objects.all())) == [mine]
    assert list(incidents_for(president)) == [mine]
    assert can(president, "change", mine) and not can(president, "change", other)
    assert set(incidents_for(users["tecnico"])) == {mine, other}
    assert set(incidents_for(users["enlace.policia"])) == {mine, other}
    assert not can(users["enlace.policia"], "change", mine)


def test_the_same_source_reference_cannot_be_stored_twice_but_empty_ones_can(db):
    import pytest
    from django.db import IntegrityError, transaction

    make("110101", "A")
    with pytest.raises(IntegrityError), transaction.atomic():
        make("110101", "A")
    make("110101", "")
    make("110101", "")  # no source id and no row hash: records entered by hand are not deduplicated


def test_a_parish_president_cannot_find_incidents_by_the_address_they_may_not_read(client_for):
    """A parish president reads an incident's parish and barrio, never its address: a search by street name (on the
    list, its export or the API) would otherwise tell which incidents happened on that street."""
    from django.urls import reverse

    incident = make("110101", "ECU-77331")
    Incident.objects.filter(pk=incident.pk).update(address="Calle Bolívar y Rocafuerte")
    president = client_for("presidente.sagrario")
    page = president.get(reverse("incidents:incident_list"), {"q": "Bolívar"})
    assert page.status_code == 200 and page.context["page"].paginator.count == 0
    api = president.get("/api/incidents", {"q": "Bolívar"})
    assert api.status_code == 200 and api.json()["count"] == 0
    assert (
        president.get("/api/incidents", {"q": "77331"}).json()["count"] == 1
    )  # the source reference is still searched
    # those who read the address find it by the address
    assert (
        client_for("tecnico").get(reverse("incidents:incident_list"), {"q": "Bolívar"}).context["page"].paginator.count
        == 1
    )
    assert client_for("enlace.policia").get("/api/incidents", {"q": "bolivar"}).json()["count"] == 1
