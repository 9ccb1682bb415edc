import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from centinela.territory.models import Place

pytestmark = pytest.mark.django_db


def test_every_change_is_recorded_with_who_and_what(client_for, users):
    c = client_for("tecnico")
    place = Place.objects.get(name="Teatro Bolívar")
    data = {
        "name": "Teatro Bolívar",
        "kind": "municipal",
        "lat": place.lat,
        "lon": place.lon,
        "address": "Calle Bolívar",
        "notes": place.notes,
        "location_verified": "on",
    }
    assert c.post(reverse("territory:place_edit", args=[place.pk]), data).status_code == 302
    entry = LogEntry.objects.get_for_object(place).order_by("-timestamp").first()
    assert entry.actor == users["tecnico"]
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.changes_dict["address"] == ["", "Calle Bolívar"]

    c.post(reverse("territory:place_create"), {"name": "Nuevo", "kind": "park", "lat": -3.99, "lon": -79.20})
    created = Place.objects.get(name="Nuevo")
    assert LogEntry.objects.get_for_object(created).get().action == LogEntry.Action.CREATE

    page = client_for("directora").get(reverse("audit_log"), {"actor__username": "tecnico"})
    assert page.context["page"].paginator.count == 2


def test_personal_data_is_masked_in_the_audit_trail(users):
    user = users["tecnico"]
    user.phone = "0991234567"
    user.save()
    entry = LogEntry.objects.get_for_object(user).order_by("-timestamp").first()
    assert "0991234567" not in str(entry.changes)


def test_no_part_of_a_phone_cedula_or_email_is_kept_in_the_audit_trail_of_any_record(users):
    """The library's default mask keeps the second half of a value (`*****34567`), enough to find a person by it:
    every masked field (staff accounts, training attendees, partner contacts, citizen reports, committee members)
    keeps nothing of it (LOPDP)."""
    from centinela.activities.models import Person
    from centinela.partners.models import ContactPerson, Institution

    user = users["tecnico"]
    user.phone, user.cedula = "0991234567", "1104680135"
    user.save()
    person = Person.objects.create(
        first_names="Rosa", last_names="Pineda", cedula="1710034065", phone="0987654321", email="rosa@example.com"
    )
    contact = ContactPerson.objects.create(
        institution=Institution.objects.create(name="Banco de prueba", kind="financial"),
        name="Luis",
        phone="0971112233",
        email="luis@example.com",
    )
    for record in (user, person, contact):
        entry = LogEntry.objects.get_for_object(record).order_by("-timestamp").first()
        for value in ("0991234567", "1104680135", "1710034065", "0987654321", "0971112233"):
            for tail in (value[-5:], value[5:]):
                assert tail not in str(entry.changes), (record, value)
        assert "rosa@" not in str(entry.changes) and "example.com" not in str(entry.changes)


def test_many_to_many_changes_are_listed_readably(client_for):
    from datetime import date

    from centinela.activities.tests import factories as f
    from centinela.partners.models import Agreement, Institution, Obligation

    counterpart = Institution.objects.create(name="SIS ECU 911", kind="public")
    agreement = Agreement.objects.create(
        code="C-1", title="Convenio", counterpart=counterpart, purpose="x", signed_on=date(2020, 1, 1)
    )
    obligation = Obligation.objects.create(agreement=agreement, party="council", description="Capacitar")
    activity = f.activity(title="Capacitación operadores")
    obligation.activities.add(activity)
    page = client_for("directora").get(reverse("audit_log"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Capacitación operadores" in text and ("añadido" in text or "added" in text)


def test_the_audit_trail_names_fields_and_values_as_the_interface_does(client_for):
    """Issue 13, item 1: "Lugar: Estado: Pendiente → Cumplido", never "status: pending → done" or "None"."""
    from datetime import date

    from centinela.partners.models import Agreement, Institution, Obligation

    counterpart = Institution.objects.create(name="SIS ECU 911", kind="public")
    agreement = Agreement.objects.create(
        code="C-9", title="Convenio de cámaras", counterpart=counterpart, purpose="x", signed_on=date(2020, 3, 15)
    )
    obligation = Obligation.objects.create(agreement=agreement, party="council", description="Capacitar")
    page = client_for("directora").get(reverse("audit_log"), HTTP_ACCEPT_LANGUAGE="es")
    text = page.content.decode()
    party = str(Obligation._meta.get_field("party").verbose_name)
    assert f"{party[0].upper()}{party[1:]}: — → {obligation.get_party_display()}" in text
    assert f"— → {agreement}" in text  # the related record by its name, not its number
    assert "15/03/2020" in text  # the agreement's date as a date
    for raw in ("party:", "None →", "→ council", "agreement:", "id:"):
        assert raw not in text, raw


def _agreements(n, start):
    """n audited agreements, each naming its own counterpart (a related record the trail names)."""
    from datetime import date

    from centinela.partners.models import Agreement, Institution

    for i in range(start, start + n):
        counterpart = Institution.objects.create(name=f"Institución {i}", kind="public")
        Agreement.objects.create(
            code=f"C-{i}", title=f"Convenio {i}", counterpart=counterpart, purpose="x", signed_on=date(2020, 3, 15)
        )


def _audit_page_queries(client, **params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("audit_log"), params)
    assert response.status_code == 200
    return response, len(queries.captured_queries)


def test_the_audit_trail_names_a_pages_related_records_in_a_query_per_model_not_per_row(client_for):
    """The names of related records (an agreement's counterpart) were read one query per value shown: a page of
    entries naming 20 counterparts made 20 more queries than a page naming 2."""
    from django.contrib.contenttypes.models import ContentType

    from centinela.partners.models import Agreement

    client = client_for("directora")
    agreements = ContentType.objects.get_for_model(Agreement).pk
    _agreements(2, 0)
    few_page, few = _audit_page_queries(client, content_type=agreements)
    _agreements(18, 2)
    many_page, many = _audit_page_queries(client, content_type=agreements)
    assert "— → Institución 1<" in few_page.content.decode() or "— → Institución 1;" in few_page.content.decode()
    assert "— → Institución 19" in many_page.content.decode()
    assert many == few
    export = client.get(reverse("audit_log"), {"export": "csv"})
    assert "Institución 19" in b"".join(export.streaming_content).decode()


def test_the_record_type_filter_offers_every_audited_kind_of_record(client_for):
    """The audit trail's "record type" filter listed four apps' records only: citizen reports, incidents, cameras,
    the yearly report's versions and the rest, audited as well, could not be picked. It offers every model the audit
    log records, and picking one filters the trail to it."""
    from auditlog.registry import auditlog
    from django.contrib.contenttypes.models import ContentType

    from centinela.participation.models import ReportCategory

    c = client_for("directora")
    page = c.get(reverse("audit_log")).content.decode()
    for model in auditlog.get_models():
        assert f'value="{ContentType.objects.get_for_model(model).pk}"' in page, model
    category = ReportCategory.objects.first()
    category.name += " (revisada)"
    category.save()
    kind = ContentType.objects.get_for_model(ReportCategory)
    filtered = c.get(reverse("audit_log"), {"content_type": kind.pk})
    assert filtered.status_code == 200 and "(revisada)" in filtered.content.decode()
    assert 'name="content_type"' in filtered.content.decode()
