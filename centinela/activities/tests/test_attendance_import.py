"""Attendance sheets on the import pipeline: every problem listed by row before anything is saved; the user may
import only the valid rows (the others skipped and reported), applied in one transaction; wrong files refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from centinela.activities import attendance_import
from centinela.activities.attendance_import import _sexes, age_band, attendance_importer, normalise
from centinela.activities.jobs import ATTENDANCE_KIND
from centinela.activities.models import Attendance, Person
from centinela.activities.tests.test_training_fixtures import *  # noqa: F401,F403
from centinela.jobs.models import Job
from centinela.jobs.tests.follow import confirm
from centinela.lib.imports import run_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_var_dir(settings, tmp_path):
    """Sheets waiting for confirmation are kept under VAR_DIR/imports: a folder per test, not the project's var/."""
    settings.VAR_DIR = tmp_path


HEADER = "nombres,apellidos,cedula,rol,sexo,edad,barrio,consentimiento\n"
GOOD = [
    "Rosa Elena,Guamán Quizhpe,1710034065,dirigente barrial,F,34,Centro Histórico,sí",
    "Jorge,Pineda,1104680135,morador,M,18-29,San Cayetano Bajo,si",
    "Mateo,Pineda,,morador,M,12,,x",  # a minor without cédula
]
BAD = [
    "Luis,Ochoa,1710034066,morador,M,40,,si",  # row 5: wrong check digit
    "Rosa,Guamán,1710034065,morador,F,34,,si",  # row 6: cédula repeated from row 2
    ",Sarango,0926687856,morador,F,50,,si",  # row 7: first names missing
    "Pablo,Vega,0102030400,alcalde,M,50,,si",  # row 8: unknown role
]


def sheet(rows, header=HEADER, name="asistencia.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, (header + "\n".join(rows) + "\n").encode(encoding), content_type="text/csv")


def xlsx(rows, name="asistencia.xlsx"):
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def url(training):
    return reverse("activities:training_attendance_import", args=[training.pk])


def test_problems_listed_by_row_and_nothing_saved(client_for, make_training):
    training = make_training()
    response = client_for("tecnico").post(url(training), {"file": sheet(GOOD + BAD)})
    result = response.context["result"]
    rows = {p.row: p.message for p in result.problems}
    assert set(rows) == {5, 6, 7, 8}
    assert "1710034066" in rows[5]
    assert "2" in rows[6]  # names the row it repeats
    assert response.context["problem_rows"] == [5, 6, 7, 8]
    assert response.context["partial"].preview["attendance_new"] == 3
    body = response.content.decode()
    assert 'id="import-problems"' in body and 'data-row="7"' in body and 'id="confirm-import"' in body
    assert not Person.objects.exists() and not Attendance.objects.exists()


def test_confirm_imports_only_the_valid_rows_and_reports_the_skipped(client_for, training_data, make_training):
    training = make_training()
    c = client_for("tecnico")
    preview = c.post(url(training), {"file": sheet(GOOD + BAD)})
    assert 'id="apply-valid"' in preview.content.decode() and 'id="rejected-xlsx"' in preview.content.decode()
    unticked = c.post(url(training), {"token": preview.context["token"]})  # the user's choice is explicit
    assert unticked.status_code == 302 and not Attendance.objects.exists()
    done = confirm(c, url(training), {"token": preview.context["token"], "apply_valid": "1"})
    # the result page: the rejected rows still downloadable, and the way on to the training
    assert done.applied_url == f"{url(training)}?applied={Job.objects.get(kind=ATTENDANCE_KIND).pk}"
    assert done.context["applied"]["url"] == reverse("activities:training_detail", args=[training.pk])
    assert 'id="rejected-xlsx"' in done.content.decode() and 'id="import-continue"' in done.content.decode()
    assert Attendance.objects.filter(training=training, via="import").count() == 3
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(training).get(additional_data__has_key="rejected rows")
    assert entry.additional_data["applied rows"] == 3 and entry.additional_data["rejected rows"] == 4
    assert set(Person.objects.values_list("last_names", flat=True)) == {"Guamán Quizhpe", "Pineda"}
    rosa = Person.objects.get(cedula="1710034065")
    assert (rosa.age_band, rosa.barrio, rosa.sex) == ("30-44", training_data.centro, "F")
    assert Attendance.objects.get(person=rosa).role == "barrio_leader"
    assert Person.objects.get(cedula=None).age_band == "0-17"
    message = str(list(done.context["messages"])[-1])
    assert "3" in message and "4" in message  # 3 marked present, 4 rows skipped
    again = c.post(url(training), {"token": preview.context["token"], "apply_valid": "1"}, follow=True)  # used once
    assert Attendance.objects.count() == 3 and "expir" in again.content.decode()


def test_the_skipped_rows_download_with_their_reasons_and_import_once_corrected(client_for, make_training):
    training = make_training()
    c = client_for("tecnico")
    preview = c.post(url(training), {"file": sheet(GOOD + BAD[:1])})
    response = c.get(url(training), {"rejected": preview.context["token"], "format": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "nombres,apellidos,cedula,rol,sexo,edad,barrio,consentimiento,motivo"
    assert len(lines) == 2 and lines[1].startswith("Luis,Ochoa,1710034066,morador,M,40,,si,")
    confirm(c, url(training), {"token": preview.context["token"], "apply_valid": "1"})
    assert Attendance.objects.filter(training=training).count() == 3
    fixed = "\n".join(lines).replace("1710034066", "1104680143")  # the right check digit
    again = c.post(url(training), {"file": SimpleUploadedFile("corregida.csv", fixed.encode())})
    assert again.context["result"].ok, again.context["result"].problems
    confirm(c, url(training), {"token": again.context["token"]})
    assert Attendance.objects.filter(training=training).count() == 4
    assert Person.objects.filter(last_names="Ochoa", cedula="1104680143").exists()


def test_a_clean_sheet_is_previewed_then_applied(client_for, make_training, make_person):
    training = make_training()
    known = make_person("Jorge", "Pineda", cedula="1104680135")
    Attendance.objects.create(training=training, person=known)
    c = client_for("tecnico")
    preview = c.post(url(training), {"file": sheet(GOOD)})
    assert preview.context["result"].ok and preview.context["partial"] is None
    assert preview.context["result"].preview == {
        "people_new": 2,
        "people_known": 1,
        "attendance_new": 2,
        "already_present": 1,
        "participation_changed": 0,
        "skipped": 0,
    }
    assert Attendance.objects.count() == 1  # still only the preview
    confirm(c, url(training), {"token": preview.context["token"]})
    assert Attendance.objects.count() == 3 and Person.objects.count() == 3


def test_nothing_is_half_imported_when_a_row_fails_while_applying(users, make_training, monkeypatch, tmp_path):
    from centinela.activities.services import training as training_services

    training = make_training()
    path = tmp_path / "asistencia.csv"
    path.write_text(HEADER + "\n".join(GOOD) + "\n", encoding="utf-8")
    real = training_services.mark_present
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(training_services, "mark_present", failing)
    with pytest.raises(RuntimeError):
        run_import(attendance_importer(users["tecnico"], training), path)
    assert not Attendance.objects.exists() and not Person.objects.exists()


def test_xlsx_with_a_cedula_stored_as_a_number(client_for, make_training):
    training = make_training()
    upload = xlsx(
        [
            ["Nombres", "Apellidos", "Cédula", "Rol", "Sexo", "Edad", "Barrio", "Consentimiento"],
            ["Ana", "Loaiza", 102030400, "Presidenta parroquial", "F", "45-64", "centro historico", "SI"],
        ]
    )
    c = client_for("tecnico")
    preview = c.post(url(training), {"file": upload})
    assert preview.context["result"].ok, preview.context["result"].problems
    assert preview.context["result"].rows[0].notes  # the restored leading zero is reported
    confirm(c, url(training), {"token": preview.context["token"]})
    attendance = Attendance.objects.get()
    assert attendance.person.cedula == "0102030400" and attendance.role == "parish_president"


def test_semicolon_csv_from_a_spanish_excel(client_for, make_training):
    training = make_training()
    rows = [r.replace(",", ";") for r in GOOD]
    upload = sheet(rows, header=HEADER.replace(",", ";"), encoding="cp1252")
    preview = client_for("tecnico").post(url(training), {"file": upload})
    assert preview.context["result"].ok, preview.context["result"].problems
    assert preview.context["result"].rows[0].data["last_names"] == "Guamán Quizhpe"


def test_missing_column_and_consent_and_unknown_barrio(client_for, make_training):
    training = make_training()
    c = client_for("tecnico")
    missing = c.post(url(training), {"file": sheet(["Ana,Loaiza"], header="nombres,apellidos\n")})
    problems = missing.context["result"].problems
    assert problems[0].row is None and "cedula" in problems[0].message
    assert "token" not in missing.context  # a file-level problem: nothing to confirm
    rows = ["Ana,Loaiza,0102030400,morador,F,50,Barrio Inventado,no"]
    bad = c.post(url(training), {"file": sheet(rows)})
    messages = [p.message for p in bad.context["result"].problems]
    assert len(messages) == 2 and any("Barrio Inventado" in m for m in messages)
    assert "token" not in bad.context  # no valid row left


def test_wrong_type_and_too_large_are_refused(client_for, make_training, monkeypatch):
    training = make_training()
    c = client_for("tecnico")
    wrong = c.post(url(training), {"file": SimpleUploadedFile("lista.pdf", b"%PDF-1.4 nothing")})
    assert "no se aceptan" in str(wrong.context["form"].errors["file"]).lower()
    monkeypatch.setattr(attendance_import, "MAX_BYTES", 50)
    large = c.post(url(training), {"file": sheet(GOOD)})
    assert "demasiado grande" in str(large.context["form"].errors["file"])
    fake = c.post(url(training), {"file": SimpleUploadedFile("lista.xlsx", b"not a spreadsheet")})
    assert fake.context["result"].problems[0].row is None
    assert not Attendance.objects.exists()


def test_a_president_imports_only_barrios_of_their_parish(client_for, make_training):
    training = make_training()
    rows = ["Ana,Loaiza,0102030400,morador,F,50,Jipiro,si", "Rosa,Guamán,1710034065,morador,F,34,Centro Histórico,si"]
    response = client_for("presidente.sagrario").post(url(training), {"file": sheet(rows)})
    problems = response.context["result"].problems
    assert [(p.row, "Jipiro" in p.message) for p in problems] == [(2, True)]  # El Valle's barrio: unknown here


def test_only_those_who_may_change_the_training_import(client_for, make_training):
    training = make_training()
    assert client_for("enlace.ecu911").get(url(training)).status_code == 403
    assert client_for("presidente.valle").get(url(training)).status_code == 404
    page = client_for("presidente.sagrario").get(url(training))
    assert page.status_code == 200 and "consentimiento" in page.content.decode()  # the columns are documented


@pytest.mark.parametrize(
    "value, band",
    [
        (12, "0-17"),
        ("17", "0-17"),
        (18, "18-29"),
        ("44", "30-44"),
        (64.5, "45-64"),
        ("80", "65+"),
        ("18-29", "18-29"),
        ("65+", "65+"),
        ("", ""),
        ("abc", None),
        (-3, None),
    ],
)
def test_age_bands(value, band):
    assert age_band(value) == band


@pytest.mark.parametrize(
    "text, sex",
    [("Mujer", "F"), ("Male", "M"), ("Otro / prefiere no decir", "X"), ("Other / prefers not to say", "X")],
)
def test_the_exports_sex_labels_read_back_in_either_language(text, sex):
    assert _sexes()[normalise(text)] == sex


@pytest.mark.parametrize("text, band", [("Menor de 18", "0-17"), ("65 o más", "65+"), ("65 or over", "65+")])
def test_the_exports_age_band_labels_read_back(text, band):
    assert age_band(text) == band


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_attendance_export_with_spanish_headers_imports_back(client_for, make_training, fmt):
    """Issue 13 item 1: the attendance download's headers are the columns' labels in Spanish; the very file
    (CSV or XLSX) imports back into another training with the same people, roles and details (the director's file:
    she sees the cédulas, which a technician's file masks)."""
    first, second = make_training(), make_training("Otra capacitación")
    c = client_for("directora")
    # the two with a cédula (a person without one is not matched again by this re-import: it adds them anew)
    confirm(c, url(first), {"token": c.post(url(first), {"file": sheet(GOOD[:2])}).context["token"]})
    Attendance.objects.filter(training=first, person__first_names="Jorge").update(participation="support")
    response = c.get(reverse("activities:training_detail", args=[first.pk]), {"export": fmt})
    content = b"".join(response.streaming_content) if response.streaming else response.getvalue()
    if fmt == "csv":
        header = content.decode("utf-8-sig").splitlines()[0]
        assert header.startswith(
            "Apellidos,Nombres,Cédula,Teléfono,Rol,Participó como,Sexo,Rango de edad,Barrio,Consentimiento"
        )
        # codes as the page shows them, in Spanish: no "barrio_leader", "F", "30-44" alone or "si"
        rosa = next(line for line in content.decode("utf-8-sig").splitlines() if "Rosa Elena" in line)
        assert "Dirigente barrial,Capacitado/a,Mujer,30-44,Centro Histórico,Sí,Sí,Hoja de asistencia importada" in rosa
        jorge = next(line for line in content.decode("utf-8-sig").splitlines() if "Jorge" in line)
        assert ",Morador/a,Apoyo a los expositores," in jorge
    preview = c.post(url(second), {"file": SimpleUploadedFile(f"asistencia.{fmt}", content)})
    result = preview.context["result"]
    assert result.ok and result.preview["people_known"] == 2 and result.preview["attendance_new"] == 2
    confirm(c, url(second), {"token": preview.context["token"]})
    again = {(a.person.cedula, a.role, a.participation) for a in Attendance.objects.filter(training=second)}
    assert again == {(a.person.cedula, a.role, a.participation) for a in Attendance.objects.filter(training=first)}
    assert {a.participation for a in Attendance.objects.filter(training=second)} == {"trainee", "support"}
    assert len(again) == 2 and Person.objects.count() == 2


PARTICIPATION_HEADER = "nombres,apellidos,cedula,rol,participo_como,sexo,edad,barrio,consentimiento\n"


@pytest.fixture
def on_the_list(users, make_training, make_person):
    """A training with Jorge present as a trainee, Rosa present as support, and Ana registered ahead as a trainee
    (not present yet)."""
    training = make_training()
    for first, last, number, participation, present in (
        ("Jorge", "Pineda", "1104680135", "trainee", True),
        ("Rosa Elena", "Guamán Quizhpe", "1710034065", "support", True),
        ("Ana", "Loaiza", "0102030400", "trainee", False),
    ):
        Attendance.objects.create(
            training=training,
            person=make_person(first, last, cedula=number),
            participation=participation,
            attended=present,
        )
    return training


def test_a_sheet_updates_the_participation_of_people_already_on_the_list(client_for, users, on_the_list):
    """Issue: a sheet saying "apoyo" for someone already registered as a trainee was read as "already present" and
    changed nothing. Now it changes that field only, counts it apart, and audits it as the training's page does;
    an empty cell, or the value already recorded, leaves the person as they are."""
    from auditlog.models import LogEntry

    training = on_the_list
    rows = [
        "Jorge,Pineda,1104680135,policía,apoyo,M,30,,sí",  # a trainee on the list: now support
        "Rosa Elena,Guamán Quizhpe,1710034065,morador,,F,34,,sí",  # support; empty cell: stays support
        "Ana,Loaiza,0102030400,morador,apoyo,F,50,,sí",  # registered ahead: marked present, and support
        "Luis,Ochoa,0926687856,morador,capacitado,M,40,,sí",  # new
    ]
    c = client_for("tecnico")
    preview = c.post(url(training), {"file": sheet(rows, header=PARTICIPATION_HEADER)})
    assert preview.context["result"].ok, preview.context["result"].problems
    assert preview.context["result"].preview == {
        "people_new": 1,
        "people_known": 3,
        "attendance_new": 2,  # Ana and Luis
        "already_present": 1,  # Rosa
        "participation_changed": 2,  # Jorge and Ana
        "skipped": 0,
    }
    assert "1 ya presentes, 2 con la participación actualizada" in preview.content.decode()
    done = confirm(c, url(training), {"token": preview.context["token"]})
    assert "2 con la participación actualizada" in str(list(done.context["messages"])[-1])
    got = {a.person.first_names: (a.participation, a.attended, a.role) for a in training.attendances.all()}
    assert got == {
        "Jorge": ("support", True, "resident"),  # the participation only: the role recorded stays
        "Rosa Elena": ("support", True, "resident"),
        "Ana": ("support", True, "resident"),
        "Luis": ("trainee", True, "resident"),
    }
    jorge = Attendance.objects.get(person__first_names="Jorge")
    entry = LogEntry.objects.get_for_object(jorge).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == users["tecnico"] and entry.changes_dict == {"participation": ["trainee", "support"]}
    rosa = Attendance.objects.get(person__first_names="Rosa Elena")
    assert not LogEntry.objects.get_for_object(rosa).filter(action=LogEntry.Action.UPDATE).exists()


def test_a_participation_change_is_applied_with_the_whole_sheet_or_not_at_all(
    client_for, users, on_the_list, monkeypatch, tmp_path
):
    from centinela.activities.services import training as training_services

    training = on_the_list
    change = "Jorge,Pineda,1104680135,morador,apoyo,M,30,,sí"
    c = client_for("tecnico")
    preview = c.post(
        url(training), {"file": sheet([change, "Luis,Ochoa,1710034066,morador,,M,40,,si"], PARTICIPATION_HEADER)}
    )
    assert [p.row for p in preview.context["result"].problems] == [3]
    assert preview.context["partial"].preview["participation_changed"] == 1
    unticked = c.post(url(training), {"token": preview.context["token"]})  # the good rows not chosen alone
    assert unticked.status_code == 302
    assert Attendance.objects.get(person__first_names="Jorge").participation == "trainee"

    # a row failing while the sheet is applied takes the change made for an earlier row back with it
    path = tmp_path / "asistencia.csv"
    path.write_text(PARTICIPATION_HEADER + change + "\nLuis,Ochoa,0926687856,morador,,M,40,,si\n", encoding="utf-8")
    real = training_services.mark_present
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(training_services, "mark_present", failing)
    with pytest.raises(RuntimeError):
        run_import(attendance_importer(users["tecnico"], training), path)
    assert Attendance.objects.get(person__first_names="Jorge").participation == "trainee"
    assert not Person.objects.filter(last_names="Ochoa").exists()
    monkeypatch.setattr(training_services, "mark_present", real)
    result = run_import(attendance_importer(users["tecnico"], training), path)
    assert result.counts["participation_changed"] == 1
    assert Attendance.objects.get(person__first_names="Jorge").participation == "support"


def test_a_certified_trainee_marked_as_support_on_a_sheet_is_the_rows_problem(client_for, on_the_list):
    """The service refuses it (the certificate says trainee): the preview says so by row, rather than the confirmed
    sheet failing as a whole."""
    training = on_the_list
    Attendance.objects.filter(person__first_names="Jorge").update(certificate_code="ABCDEFGHJK")
    rows = ["Jorge,Pineda,1104680135,morador,apoyo,M,30,,sí", "Luis,Ochoa,0926687856,morador,,M,40,,si"]
    preview = client_for("tecnico").post(url(training), {"file": sheet(rows, header=PARTICIPATION_HEADER)})
    [problem] = preview.context["result"].problems
    assert problem.row == 2 and "certificado" in problem.message
    assert preview.context["partial"].preview["attendance_new"] == 1
