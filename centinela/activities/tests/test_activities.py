"""Activities: created and edited per role, validated in Spanish, listed, exported and re-imported cleanly."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from centinela.activities.models import Activity, ActivityPartner, Operation, OperationType
from centinela.activities.tests import factories as f
from centinela.jobs.tests.follow import confirm
from centinela.partners.models import Institution
from centinela.territory.models import Barrio, Parish, Place

pytestmark = pytest.mark.django_db


def form_data(prog, **over):
    data = {
        "kind": "other",
        "programme": prog.pk,
        "title": "Minga de limpieza",
        "description": "",
        "starts_at": f"{prog.plan.starts_on.year}-05-04T09:00",
        "ends_at": "",
        "parish": "",
        "place": "",
        "responsible": "",
        "working_group": "",
        "budget_planned": "50",
        "budget_executed": "0",
        "status": "planned",
        "status_reason": "",
        "partners-TOTAL_FORMS": "0",
        "partners-INITIAL_FORMS": "0",
    }
    data.update(over)
    return data


def test_technician_creates_an_activity_whose_parish_follows_its_place(client_for):
    prog = f.programme()
    place = Place.objects.get(name="Teatro Bolívar")
    response = client_for("tecnico").post(
        reverse("activities:activity_create") + "?kind=other", form_data(prog, place=place.pk)
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    activity = Activity.objects.get(title="Minga de limpieza")
    assert activity.parish == place.parish


@pytest.mark.parametrize(
    "over, field, message",
    [
        ({"ends_at": "2000-01-01T10:00"}, "ends_at", "termina antes de empezar"),
        ({"starts_at": "1999-05-04T09:00"}, "starts_at", "fuera del periodo del plan"),
        ({"budget_planned": "-5"}, "budget_planned", "mayor o igual a 0"),
        ({"status": "cancelled"}, "status_reason", "por qué"),
    ],
)
def test_bad_input_gets_spanish_field_errors_and_keeps_what_was_typed(client_for, over, field, message):
    prog = f.programme()
    response = client_for("tecnico").post(
        reverse("activities:activity_create") + "?kind=other", form_data(prog, **over)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert message in str(form.errors.get(field, "")).lower() or message in str(form.errors).lower()
    assert form["title"].value() == "Minga de limpieza"
    assert not Activity.objects.filter(title="Minga de limpieza").exists()


def test_operation_with_partner_and_in_kind_value(client_for):
    prog = f.programme("operations")
    fumigation = OperationType.objects.create(name="Fumigación")
    donor = Institution.objects.create(name="Servicios Fitosanitarios del Sur (ficticia)", kind="private")
    data = form_data(
        prog,
        kind="operation",
        title="Fumigación Teatro Bolívar",
        place=Place.objects.get(name="Teatro Bolívar").pk,
        status="done",
        **{
            "operation-operation_type": fumigation.pk,
            "operation-stage": "done",
            "operation-product": "Amonio cuaternario",
            "operation-dose": "20 ml/l",
            "operation-area_m2": "850",
            "operation-requested_on": "",
            "operation-requested_by": "",
            "partners-TOTAL_FORMS": "1",
            "partners-0-institution": donor.pk,
            "partners-0-role": "donor",
            "partners-0-in_kind_value": "180",
            "partners-0-in_kind_description": "Fumigación gratuita",
        },
    )
    response = client_for("tecnico").post(reverse("activities:activity_create") + "?kind=operation", data)
    assert response.status_code == 302, response.context["form"].errors
    op = Operation.objects.get(activity__title="Fumigación Teatro Bolívar")
    assert op.product == "Amonio cuaternario" and op.stage == "done"
    assert ActivityPartner.objects.get(activity=op.activity).in_kind_value == 180


def test_a_done_operation_marks_its_activity_done(client_for):
    prog = f.programme("operations")
    kind = OperationType.objects.create(name="Minga de limpieza")
    data = form_data(
        prog,
        kind="operation",
        title="Limpieza parque",
        status="planned",
        **{
            "operation-operation_type": kind.pk,
            "operation-stage": "done",
            "operation-product": "",
            "operation-dose": "",
            "operation-area_m2": "",
            "operation-requested_on": "",
            "operation-requested_by": "Barrio Jipiro",
        },
    )
    assert (
        client_for("tecnico").post(reverse("activities:activity_create") + "?kind=operation", data).status_code == 302
    )
    assert Activity.objects.get(title="Limpieza parque").status == "done"


def test_liaison_cannot_create_or_edit(client_for):
    prog = f.programme()
    a = f.activity()
    c = client_for("enlace.policia")
    assert c.get(reverse("activities:activity_create") + "?kind=other").status_code == 403
    assert c.post(reverse("activities:activity_edit", args=[a.pk]), form_data(prog)).status_code == 403
    assert c.get(reverse("activities:activity_detail", args=[a.pk])).status_code == 200


def test_parish_president_sees_and_records_only_their_parish(client_for):
    own = f.activity(title="Charla Sagrario", parish_code="110101")
    other = f.activity(title="Charla Valle", parish_code="110104")
    c = client_for("presidente.sagrario")
    listed = c.get(reverse("activities:activity_list")).context["page"].paginator.object_list
    assert [a.title for a in listed] == ["Charla Sagrario"]
    assert c.get(reverse("activities:activity_detail", args=[other.pk])).status_code == 404
    assert c.get(reverse("activities:activity_detail", args=[own.pk])).status_code == 200
    prog = f.programme()  # a cantonal programme: presidents record their parish's work under it
    refused = c.post(
        reverse("activities:activity_create") + "?kind=other",
        form_data(prog, parish=Parish.objects.get(code="110104").pk),
    )
    assert refused.status_code == 200 and "parish" in refused.context["form"].errors  # not a choice they have
    assert not Activity.objects.filter(title="Minga de limpieza").exists()
    ok = c.post(
        reverse("activities:activity_create") + "?kind=other",
        form_data(prog, parish=Parish.objects.get(code="110101").pk),
    )
    assert ok.status_code == 302 and Activity.objects.get(title="Minga de limpieza").parish.code == "110101"
    edit = c.get(reverse("activities:activity_edit", args=[own.pk]))
    assert prog in edit.context["form"].fields["programme"].queryset


def test_a_service_error_after_a_valid_form_is_shown_not_a_crash(client_for):
    prog = f.programme()
    valle_barrio = Barrio.objects.filter(parish__code="110104").first()
    data = form_data(prog, parish=Parish.objects.get(code="110101").pk, barrios=[valle_barrio.pk])
    response = client_for("tecnico").post(reverse("activities:activity_create") + "?kind=other", data)
    assert response.status_code == 200 and "barrios" in response.context["form"].errors
    assert not Activity.objects.exists() and response.context["object"].pk is None


def test_the_parish_served_may_differ_from_the_venues(client_for):
    prog = f.programme()
    venue = Place.objects.get(name="Salón de los Alcaldes (Municipio de Loja)")
    sucre = Parish.objects.get(code="110103")
    data = form_data(prog, place=venue.pk, parish=sucre.pk, title="Capacitación para Sucre")
    assert client_for("tecnico").post(reverse("activities:activity_create") + "?kind=other", data).status_code == 302
    activity = Activity.objects.get(title="Capacitación para Sucre")
    assert activity.parish == sucre and venue.parish.code == "110101"


def test_list_filters_by_period_programme_status_and_partner(client_for):
    a = f.activity(title="Marzo", month=3)
    f.activity(title="Junio", month=6, status="done")
    donor = Institution.objects.create(name="Banco de Loja", kind="financial")
    ActivityPartner.objects.create(activity=a, institution=donor, role="host")
    c = client_for("tecnico")
    year = a.starts_at.year

    def titles(**params):
        return sorted(
            x.title for x in c.get(reverse("activities:activity_list"), params).context["page"].paginator.object_list
        )

    assert titles(starts_at_after=f"{year}-03-01", starts_at_before=f"{year}-03-31") == ["Marzo"]
    assert titles(status="done") == ["Junio"]
    assert titles(partner=donor.pk) == ["Marzo"]
    assert titles(programme=a.programme_id) == ["Junio", "Marzo"]


def test_export_reimports_cleanly(client_for):
    a = f.activity(title="Reunión barrial", kind="other", place="Salón de los Alcaldes (Municipio de Loja)")
    c = client_for("tecnico")
    exported = c.get(reverse("activities:activity_list"), {"export": "csv"}).getvalue().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported)))
    # the headers and the codes as the page shows them, in Spanish (issue 13, item 1)
    assert rows[0]["N.º"] == str(a.pk) and rows[0]["Programa"] == a.programme.code
    assert rows[0]["Tipo"] == a.get_kind_display() and rows[0]["Estado"] == a.get_status_display()
    assert "id" not in rows[0] and "kind" not in rows[0]
    # change a budget in the spreadsheet and add a new row, then import it back
    rows[0]["Ejecutado (USD)"] = "75.5"
    rows.append({**rows[0], "N.º": "", "Título": "Nueva actividad"})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    upload = SimpleUploadedFile("actividades.csv", out.getvalue().encode("utf-8"))
    preview = c.post(reverse("activities:activity_import"), {"file": upload})
    assert preview.context["result"].preview == {"update": 1, "create": 1, "repaired": 0}
    assert Activity.objects.count() == 1  # nothing before confirming
    confirm(c, reverse("activities:activity_import"), {"token": preview.context["token"]})
    a.refresh_from_db()
    assert float(a.budget_executed) == 75.5
    assert Activity.objects.get(title="Nueva actividad").place == a.place


def test_import_with_a_bad_row_changes_nothing(client_for):
    prog = f.programme()
    year = prog.plan.starts_on.year
    content = (
        "title,programme,kind,starts_at,status,budget_planned\n"
        f"Buena,{prog.code},other,{year}-04-01 10:00,planned,10\n"
        f"Mala,{prog.code},other,{year}-04-01 10:00,planned,-3\n"
        f"Otra,NOEXISTE,other,{year}-04-01 10:00,planned,1\n"
    )
    response = client_for("tecnico").post(
        reverse("activities:activity_import"), {"file": SimpleUploadedFile("a.csv", content.encode())}
    )
    problems = [str(p) for p in response.context["result"].problems]
    assert any("fila 3" in p for p in problems) and any("fila 4" in p and "NOEXISTE" in p for p in problems)
    assert not Activity.objects.exists()


def test_import_of_only_the_valid_rows_when_ticked_audited_and_the_rejected_rows_fixed_and_imported(client_for, users):
    from auditlog.models import LogEntry

    prog = f.programme()
    year = prog.plan.starts_on.year
    content = (
        "title,programme,kind,starts_at,status,budget_planned\n"
        f"Buena,{prog.code},other,{year}-04-01 10:00,planned,10\n"
        f"Mala,{prog.code},other,{year}-04-01 10:00,planned,-3\n"
    )
    url = reverse("activities:activity_import")
    c = client_for("tecnico")
    preview = c.post(url, {"file": SimpleUploadedFile("a.csv", content.encode())})
    body = preview.content.decode()
    assert 'id="apply-valid"' in body and "Importar solo las 1 filas válidas" in body
    rejected = c.get(url, {"rejected": preview.context["token"], "format": "csv"})
    lines = b"".join(rejected.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "title,programme,kind,starts_at,status,budget_planned,motivo"
    assert lines[1].startswith(f"Mala,{prog.code},other,") and len(lines) == 2
    done = confirm(c, url, {"token": preview.context["token"], "apply_valid": "1"})
    assert list(Activity.objects.values_list("title", flat=True)) == ["Buena"]
    assert "1 filas con problemas quedaron fuera." in str(list(done.context["messages"])[-1])
    # one entry for the import, on the activities (not on the importer's own account), naming who and the file
    assert not LogEntry.objects.get_for_object(users["tecnico"]).filter(additional_data__has_key="rejected rows")
    entry = LogEntry.objects.get_for_model(Activity).get(additional_data__has_key="rejected rows")
    assert entry.actor == users["tecnico"] and entry.additional_data["file"] == "a.csv"
    assert entry.additional_data["applied rows"] == 1 and entry.additional_data["rejected rows"] == 1
    fixed = "\n".join(lines).replace(",-3,", ",3,")
    again = c.post(url, {"file": SimpleUploadedFile("b.csv", fixed.encode())})
    assert again.context["result"].ok, again.context["result"].problems
    confirm(c, url, {"token": again.context["token"]})
    assert sorted(Activity.objects.values_list("title", flat=True)) == ["Buena", "Mala"]


def test_import_does_not_create_detail_kinds_or_change_kinds(client_for):
    a = f.activity(title="Fumigación", kind="operation")
    year = a.starts_at.year
    content = (
        "id,title,programme,kind,starts_at,status\n"
        f"{a.pk},Fumigación,{a.programme.code},other,{year}-03-10 10:00,planned\n"
        f",Capacitación nueva,{a.programme.code},training,{year}-03-11 10:00,planned\n"
    )
    response = client_for("tecnico").post(
        reverse("activities:activity_import"), {"file": SimpleUploadedFile("a.csv", content.encode())}
    )
    problems = " ".join(str(p) for p in response.context["result"].problems)
    assert "no se puede cambiar" in problems and "propias páginas" in problems
    assert Activity.objects.count() == 1 and Activity.objects.get().kind == "operation"


def test_import_refuses_other_file_types(client_for):
    response = client_for("tecnico").post(
        reverse("activities:activity_import"), {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}
    )
    assert "no se aceptan" in str(response.context["form"].errors["file"]).lower()
