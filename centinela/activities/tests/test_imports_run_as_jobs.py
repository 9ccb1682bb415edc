"""Issue 10, item 3: the activity import and the attendance-sheet import apply in a job, not in the web request.
The confirmation queues the job and stores nothing; the upload is held until the job has ended; the job applies all
the rows or none, for the user who asked, who must still have the right (else the job fails in Spanish and nothing
is stored); and following the job's page leads to what the page said when it imported in the request: the counts."""

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from centinela.accounts.models import Role
from centinela.activities.jobs import ACTIVITY_KIND, ATTENDANCE_KIND
from centinela.activities.models import Activity, Attendance, Person
from centinela.activities.tests import factories as f
from centinela.activities.tests.test_attendance_import import BAD, GOOD, sheet, url
from centinela.activities.tests.test_training_fixtures import *  # noqa: F401,F403
from centinela.jobs.models import Job
from centinela.jobs.services import held_path, run_pending
from centinela.jobs.tests.follow import confirm, confirm_and_run, follow_to_result
from centinela.territory.models import Parish

pytestmark = pytest.mark.django_db
IMPORT = reverse("activities:activity_import")


@pytest.fixture(autouse=True)
def _own_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def activities_file(prog, *titles, extra=""):
    year = prog.plan.starts_on.year
    lines = [f"{t},{prog.code},other,{year}-04-01 10:00,planned,10" for t in titles]
    text = "title,programme,kind,starts_at,status,budget_planned\n" + "\n".join(lines) + "\n" + extra
    return SimpleUploadedFile("actividades.csv", text.encode())


def test_the_confirmation_queues_a_job_stores_nothing_and_holds_the_upload_until_the_job_ends(client_for, users):
    c = client_for("tecnico")
    preview = c.post(IMPORT, {"file": activities_file(f.programme(), "Minga", "Feria")})
    response = c.post(IMPORT, {"token": preview.context["token"]})
    job = Job.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == reverse("jobs:job_detail", args=[job.pk]) + "?follow=1"
    )
    assert (job.kind, job.status, job.created_by) == (ACTIVITY_KIND, Job.Status.QUEUED, users["tecnico"])
    assert not Activity.objects.exists()  # nothing before the job runs
    held = held_path(job)
    assert held.read_bytes().startswith(b"title,programme")  # the upload waits for its job, out of the uploads folder
    page = c.get(response["Location"]).content.decode()
    assert "Importación de actividades" in page and "no-worker" in page  # no worker beats in this test
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.percent == 100
    assert job.message == "2 actividades guardadas." and job.result["counts"] == {"saved": 2}
    assert sorted(Activity.objects.values_list("title", flat=True)) == ["Feria", "Minga"]
    assert not held.exists()  # removed once the job has ended


def test_the_result_page_shows_the_counts_and_leads_where_the_page_led(client_for, make_training):
    c = client_for("tecnico")
    preview = c.post(IMPORT, {"file": activities_file(f.programme(), "Minga", "Feria")})
    done = confirm(c, IMPORT, {"token": preview.context["token"]})
    assert done.redirect_chain[-1][0] == reverse("activities:activity_list")  # as after an import in the request
    assert [str(m) for m in done.context["messages"]] == ["2 actividades guardadas."]

    training = make_training()  # only the valid rows of a sheet: the result page, its counts and the download
    preview = c.post(url(training), {"file": sheet(GOOD + BAD)})
    done = confirm(c, url(training), {"token": preview.context["token"], "apply_valid": "1"})
    job = Job.objects.get(kind=ATTENDANCE_KIND)
    assert done.applied_url == f"{url(training)}?applied={job.pk}" and done.status_code == 200
    body = done.content.decode()
    assert (
        "Asistencia importada: 3 marcados como presentes, 0 ya presentes, 0 con la participación actualizada, "
        "3 personas nuevas, 4 filas omitidas." in body
    )
    assert "se importaron las filas válidas; 4 filas con problemas quedaron fuera." in body
    assert 'id="rejected-csv"' in body and reverse("activities:training_detail", args=[training.pk]) in body


def test_a_user_whose_right_was_removed_before_the_job_ran_gets_a_failed_job_and_nothing_is_stored(
    client_for, users, make_training
):
    c = client_for("tecnico")
    preview = c.post(IMPORT, {"file": activities_file(f.programme(), "Minga")})
    response = c.post(IMPORT, {"token": preview.context["token"]})
    users["tecnico"].role = Role.LIAISON  # no longer records activities
    users["tecnico"].save()
    job = Job.objects.get()
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and not Activity.objects.exists()
    assert job.error == "La cuenta que pidió esta importación ya no puede hacerla; no se importó nada."
    assert "job-error" in c.get(response["Location"]).content.decode()  # the job's page says so
    assert not held_path(job).exists()

    president = client_for("presidente.sagrario")  # a sheet for a training of their parish, then moved away
    training = make_training()
    preview = president.post(url(training), {"file": sheet(GOOD)})
    president.post(url(training), {"token": preview.context["token"]})
    users["presidente.sagrario"].parish = Parish.objects.get(code="110104")  # El Valle
    users["presidente.sagrario"].save()
    assert run_pending() == 1
    sheet_job = Job.objects.get(kind=ATTENDANCE_KIND)
    assert sheet_job.status == Job.Status.FAILED
    assert sheet_job.error == "La cuenta que pidió esta importación ya no puede hacerla; no se importó nada."
    assert not Attendance.objects.exists() and not Person.objects.exists()


def test_the_job_applies_all_the_rows_or_none(client_for, users, monkeypatch):
    prog = f.programme()
    changed = f.activity(title="Antes", kind="other", prog=prog)
    year = prog.plan.starts_on.year
    row = f"{changed.pk},Después,{prog.code},other,{year}-04-02 10:00,planned,5"
    text = "id,title,programme,kind,starts_at,status,budget_planned\n"
    text += f",Nueva,{prog.code},other,{year}-04-01 10:00,planned,10\n{row}\n"
    c = client_for("tecnico")
    preview = c.post(IMPORT, {"file": SimpleUploadedFile("a.csv", text.encode())})
    assert preview.context["result"].ok
    c.post(IMPORT, {"token": preview.context["token"]})
    changed.delete()  # the data changed while the job waited: its second row names an activity gone
    assert run_pending() == 1
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and job.error.startswith("1 problemas; no se importó nada.")
    assert not Activity.objects.exists()  # not the first row alone
    assert not LogEntry.objects.filter(additional_data__has_key="applied rows").exists()

    # a row failing while the rows are written takes the rows written before it back with it
    from centinela.activities.activity_import import ActivityImporter

    text = "title,programme,kind,starts_at,status\n" + "".join(
        f"{t},{prog.code},other,{year}-04-01 10:00,planned\n" for t in ("Una", "Dos", "Tres")
    )
    preview = c.post(IMPORT, {"file": SimpleUploadedFile("b.csv", text.encode())})
    real_apply = ActivityImporter.apply

    def apply_then_fail(self, rows):
        real_apply(self, rows[:2])
        raise RuntimeError("disco lleno")

    monkeypatch.setattr(ActivityImporter, "apply", apply_then_fail)
    _, job = confirm_and_run(c, IMPORT, {"token": preview.context["token"]})
    assert job.status == Job.Status.FAILED and "disco lleno" in job.error
    assert not Activity.objects.exists()
    monkeypatch.setattr(ActivityImporter, "apply", real_apply)
    preview = c.post(IMPORT, {"file": SimpleUploadedFile("b.csv", text.encode())})
    _, job = confirm_and_run(c, IMPORT, {"token": preview.context["token"]})
    assert job.status == Job.Status.DONE and Activity.objects.count() == 3
    entry = LogEntry.objects.get(additional_data__has_key="applied rows")
    assert entry.actor == users["tecnico"] and entry.additional_data["applied rows"] == 3
    assert follow_to_result(c, job).redirect_chain[-1][0] == reverse("activities:activity_list")


def test_a_sheet_whose_worker_was_stopped_mid_import_is_applied_again_from_its_upload(
    client_for, make_training, monkeypatch
):
    """A worker stopped while it applied the sheet (a service stop: KeyboardInterrupt passes through everything) left
    nothing half-saved and the held upload where it was; the next worker takes the job up and applies it all."""
    from datetime import timedelta

    from django.utils import timezone

    from centinela.activities.attendance_import import AttendanceImporter
    from centinela.jobs import services

    training = make_training()
    c = client_for("tecnico")
    preview = c.post(url(training), {"file": sheet(GOOD + BAD)})
    c.post(url(training), {"token": preview.context["token"], "apply_valid": "1"})
    job = Job.objects.get(kind=ATTENDANCE_KIND)
    real_apply = AttendanceImporter.apply

    def stopped(self, rows):
        real_apply(self, rows[:1])
        raise KeyboardInterrupt

    monkeypatch.setattr(AttendanceImporter, "apply", stopped)
    with pytest.raises(KeyboardInterrupt):
        services.run_pending("worker-a")
    monkeypatch.setattr(AttendanceImporter, "apply", real_apply)
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and held_path(job).exists() and not Attendance.objects.exists()
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    assert services.requeue_stale() == 1
    Job.objects.filter(pk=job.pk).update(run_after=None)
    assert services.run_pending("worker-b") == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2, job.error
    assert Attendance.objects.filter(training=training).count() == 3 and not held_path(job).exists()
    assert job.result["rejected"] == 4 and job.result["rejected_urls"]  # the rows left out, still downloadable
