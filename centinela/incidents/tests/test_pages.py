"""Incident pages for every role: the list (filters, export, synthetic banner), an incident's page (exact point only
for those who may see it), the form (point in the canton, Spanish messages), status changes (audited) and the
import profiles page."""

from datetime import UTC, datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from centinela.incidents.models import Category, ImportProfile, Incident, Source
from centinela.incidents.selectors import SYNTHETIC_SOURCE
from centinela.territory.models import Parish

pytestmark = pytest.mark.django_db
LIST = reverse("incidents:incident_list")


def make(
    parish_code,
    ref,
    *,
    source="ecu911",
    category="robo-motos",
    when=datetime(2021, 1, 1, 17, tzinfo=UTC),
    address="Calle 10 de Agosto 12-34",
):
    parish = Parish.objects.get(code=parish_code)
    src, _ = Source.objects.get_or_create(code=source, defaults={"name": source})
    return Incident.objects.create(
        source=src,
        source_ref=ref,
        category=Category.objects.get(code=category),
        occurred_at=when,
        lon=parish.centre_lon,
        lat=parish.centre_lat,
        parish=parish,
        address=address,
    )


@pytest.fixture
def two(db):
    return make("110101", "SAG-1"), make("110104", "VAL-1", category="robo-personas")


def test_anonymous_visitors_meet_the_login_everywhere(client, two):
    for url in (
        LIST,
        two[0].get_absolute_url(),
        reverse("incidents:incident_create"),
        reverse("incidents:import"),
        reverse("incidents:profile_list"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/cuenta/ingresar/" in response["Location"], url


def test_every_reading_role_sees_the_list_and_a_parish_president_only_their_parish(client_for, two):
    for role in ("admin", "directora", "tecnico", "enlace.policia", "enlace.ecu911"):
        body = client_for(role).get(LIST).content.decode()
        assert "SAG-1" in body and "VAL-1" in body, role
    body = client_for("presidente.sagrario").get(LIST).content.decode()
    assert "SAG-1" in body and "VAL-1" not in body
    assert client_for("presidente.sagrario").get(two[1].get_absolute_url()).status_code == 404
    assert client_for("presidente.valle").get(two[1].get_absolute_url()).status_code == 200


def test_the_list_filters_by_category_group_parish_status_and_period(client_for, two):
    c = client_for("tecnico")
    older = make("110101", "OLD-1", when=datetime(2019, 6, 1, 12, tzinfo=UTC))
    robo_personas = Category.objects.get(code="robo-personas")

    def refs(**query):
        return {row[4][0] for row in c.get(LIST, query).context["rows"]}

    assert refs(category=robo_personas.pk) == {"VAL-1"}
    assert refs(group="dmcs") == {"SAG-1", "VAL-1", "OLD-1"}
    assert refs(parish=Parish.objects.get(code="110104").pk) == {"VAL-1"}
    assert refs(date_from="2020-01-01") == {"SAG-1", "VAL-1"}
    assert refs(date_to="2019-12-31") == {"OLD-1"}
    older.status = Incident.Status.DISCARDED
    older.save()
    assert refs(status="discarded") == {"OLD-1"}
    assert refs(q="VAL") == {"VAL-1"}


def test_the_export_has_the_exact_point_only_for_those_who_may_see_it(client_for, two):
    staff = client_for("tecnico").get(LIST, {"export": "csv"}).getvalue().decode("utf-8-sig")
    # the headers in Spanish (issue 13 item 1)
    assert staff.splitlines()[0].endswith("Latitud,Longitud,Precisión,Dirección") and "Calle 10 de Agosto" in staff
    president = client_for("presidente.sagrario").get(LIST, {"export": "csv"}).getvalue().decode("utf-8-sig")
    assert "Latitud" not in president.splitlines()[0] and "Calle 10 de Agosto" not in president
    assert "SAG-1" in president and "VAL-1" not in president
    xlsx = client_for("enlace.policia").get(LIST, {"export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_synthetic_banner_shows_whenever_synthetic_incidents_exist(client_for, two):
    c = client_for("tecnico")
    assert "Datos sintéticos de demostración" not in c.get(LIST).content.decode()
    make("110101", "SYN-1", source=SYNTHETIC_SOURCE)
    assert "Datos sintéticos de demostración" in c.get(LIST).content.decode()


def test_the_detail_shows_the_point_and_address_to_staff_but_not_to_parish_presidents(client_for, two):
    mine = two[0]
    staff = client_for("tecnico").get(mine.get_absolute_url())
    assert staff.context["point"] == {"lat": mine.lat, "lon": mine.lon, "label": str(mine.category)}
    assert "Calle 10 de Agosto" in staff.content.decode()
    president = client_for("presidente.sagrario").get(mine.get_absolute_url())
    body = president.content.decode()
    assert president.context["point"] is None and "Calle 10 de Agosto" not in body and f"{mine.lat:.6f}" not in body
    assert "El Sagrario" in body  # the parish is shown


def test_liaisons_read_but_change_nothing(client_for, two):
    c = client_for("enlace.ecu911")
    assert c.get(LIST).context["add_url"] is None
    assert c.get(reverse("incidents:incident_create")).status_code == 403
    assert c.get(reverse("incidents:incident_edit", args=[two[0].pk])).status_code == 403
    assert c.post(reverse("incidents:incident_status", args=[two[0].pk]), {"status": "verified"}).status_code == 403
    assert c.get(reverse("incidents:import")).status_code == 403
    assert c.get(reverse("incidents:profile_create")).status_code == 403
    two[0].refresh_from_db()
    assert two[0].status == Incident.Status.REPORTED


def form_data(lon, lat, **extra):
    return {
        "category": Category.objects.get(code="robo-domicilios").pk,
        "occurred_at": "2021-05-04T21:30",
        "source": Source.objects.get(code="consejo").pk,
        "source_ref": "",
        "lon": lon,
        "lat": lat,
        "address": "Parque Central",
        "precision": "exact",
        **extra,
    }


def test_staff_create_an_incident_and_its_parish_and_barrio_follow_from_the_point(client_for):
    valle = Parish.objects.get(code="110104")
    response = client_for("tecnico").post(
        reverse("incidents:incident_create"), form_data(valle.centre_lon, valle.centre_lat)
    )
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    assert incident.parish == valle and incident.status == Incident.Status.REPORTED
    assert LogEntry.objects.get_for_object(incident).filter(action=LogEntry.Action.CREATE).exists()


@pytest.mark.parametrize(
    "lon, lat, message",
    [
        (-78.5, -0.2, "está fuera del cantón."),  # Quito
        (-4.0, -79.2, "parecen invertidas"),  # latitude and longitude swapped
        ("", "", "Este campo es obligatorio."),
        (-200, -4.0, "Asegúrese de que este valor es mayor o igual a -180."),
    ],
)
def test_a_point_outside_the_canton_is_refused_in_spanish_and_what_was_typed_is_kept(client_for, lon, lat, message):
    response = client_for("tecnico").post(reverse("incidents:incident_create"), form_data(lon, lat))
    body = response.content.decode()
    assert response.status_code == 200 and message in body, body[body.find("errorlist") :][:400]
    assert "Parque Central" in body and Incident.objects.count() == 0


def test_only_active_categories_are_offered(client_for):
    Category.objects.filter(code="robo-motos").update(active=False)
    form = client_for("tecnico").get(reverse("incidents:incident_create")).context["form"]
    codes = set(form.fields["category"].queryset.values_list("code", flat=True))
    assert "robo-personas" in codes and "robo-motos" not in codes


def test_a_parish_president_records_incidents_of_their_parish_only(client_for):
    sagrario, valle = Parish.objects.get(code="110101"), Parish.objects.get(code="110104")
    c = client_for("presidente.sagrario")
    assert (
        c.post(reverse("incidents:incident_create"), form_data(sagrario.centre_lon, sagrario.centre_lat)).status_code
        == 302
    )
    response = c.post(reverse("incidents:incident_create"), form_data(valle.centre_lon, valle.centre_lat))
    assert response.status_code == 200 and "otra parroquia" in response.content.decode()
    assert list(Incident.objects.values_list("parish__code", flat=True)) == ["110101"]


def test_status_changes_once_from_reported_and_is_audited(client_for, users, two):
    incident = two[0]
    url = reverse("incidents:incident_status", args=[incident.pk])
    c = client_for("directora")
    assert c.post(url, {"status": "verified"}).status_code == 302
    incident.refresh_from_db()
    assert incident.status == Incident.Status.VERIFIED
    entry = LogEntry.objects.get_for_object(incident).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == users["directora"] and entry.changes_dict["status"] == ["reported", "verified"]
    again = c.post(url, {"status": "discarded"})  # a verified incident stays verified
    assert again.status_code == 400 and "Escoja una opción válida" in again.content.decode()
    incident.refresh_from_db()
    assert incident.status == Incident.Status.VERIFIED
    page = c.get(incident.get_absolute_url()).content.decode()
    assert "Verificado" in page and 'id="status-form"' not in page


def test_a_parish_president_verifies_in_their_parish_but_not_elsewhere(client_for, two):
    c = client_for("presidente.sagrario")
    assert c.post(reverse("incidents:incident_status", args=[two[0].pk]), {"status": "discarded"}).status_code == 302
    assert c.post(reverse("incidents:incident_status", args=[two[1].pk]), {"status": "discarded"}).status_code == 404
    assert list(Incident.objects.order_by("source_ref").values_list("status", flat=True)) == ["discarded", "reported"]


def test_import_profiles_are_created_and_edited_by_staff_with_their_mappings(client_for):
    c = client_for("tecnico")
    data = {
        "name": "Policía 2021",
        "source": Source.objects.get(code="policia").pk,
        "col_source_ref": "Código",
        "col_occurred_at": "Fecha",
        "col_category": "Delito",
        "col_lon": "X",
        "col_lat": "Y",
        "col_address": "",
        "col_reported_at": "",
        "col_precision": "",
        "date_format": "%d/%m/%Y %H:%M",
        "category_text": "Robo a personas (DMCS) = robo-personas\nMotos = robo-motos",
        "default_precision": "street",
    }
    assert c.post(reverse("incidents:profile_create"), data).status_code == 302
    profile = ImportProfile.objects.get(name="Policía 2021")
    assert profile.columns == {
        "source_ref": "Código",
        "occurred_at": "Fecha",
        "category": "Delito",
        "lon": "X",
        "lat": "Y",
    }
    assert profile.category_values == {"Robo a personas (DMCS)": "robo-personas", "Motos": "robo-motos"}
    assert "Policía 2021" in c.get(reverse("incidents:profile_list")).content.decode()
    bad = c.post(
        reverse("incidents:profile_edit", args=[profile.pk]),
        {**data, "category_text": "Abigeato = abigeato", "date_format": "%d/%m", "col_lat": ""},
    )
    body = bad.content.decode()
    assert "código de categoría desconocido abigeato" in body and "Este campo es obligatorio." in body
    assert "no vuelve a leer una fecha" in body
    profile.refresh_from_db()
    assert profile.category_values["Motos"] == "robo-motos"  # unchanged
    assert client_for("presidente.sagrario").get(reverse("incidents:profile_list")).status_code == 403


def test_categories_are_extended_by_administrators_only_in_the_admin(client_for):
    url = reverse("admin:incidents_category_add")
    assert client_for("tecnico").get(url).status_code in (302, 403)  # not an administrator: kept out
    c = client_for("admin")
    response = c.post(url, {"code": "abigeato", "name": "Abigeato", "group": "other", "active": "on"})
    assert response.status_code == 302 and Category.objects.filter(code="abigeato").exists()
    assert "Categorías" in c.get(LIST).content.decode()
    assert "Abigeato" in str(
        client_for("tecnico").get(reverse("incidents:incident_create")).context["form"]["category"]
    )
    retire = c.post(
        reverse("admin:incidents_category_change", args=[Category.objects.get(code="abigeato").pk]),
        {"code": "abigeato", "name": "Abigeato", "group": "other"},
    )  # active unticked
    assert retire.status_code == 302 and not Category.objects.get(code="abigeato").active
