"""A job that ends, done or failed, tells the person who asked for it; a job sent back to the queue for another
attempt has not ended and tells no one yet."""

import pytest
from django.urls import reverse

from centinela.jobs import services as jobs
from centinela.jobs.registry import JobError, job_kind
from centinela.notifications.models import Notice

pytestmark = pytest.mark.django_db


@job_kind("test.notices", label="Prueba de avisos")
def _job(job, progress):
    if job.params.get("fail"):
        raise JobError("Faltan datos")
    return {"ok": True}


def test_a_finished_job_and_a_failed_one_tell_their_asker(users, client_for):
    done = jobs.submit(users["tecnico"], "test.notices", {})
    failed = jobs.submit(users["tecnico"], "test.notices", {"fail": True})
    assert jobs.run_pending() == 2
    notices = {n.object_id: n for n in Notice.objects.filter(user=users["tecnico"], source="jobs")}
    assert (notices[done.pk].kind, notices[failed.pk].kind) == ("job_done", "job_failed")
    assert notices[done.pk].title == "Prueba de avisos terminó"
    assert notices[failed.pk].title == "Prueba de avisos falló"
    assert notices[done.pk].url == reverse("jobs:job_detail", args=[done.pk])
    page = client_for("tecnico").get(reverse("notifications:inbox")).content.decode()
    assert reverse("jobs:job_detail", args=[failed.pk]) in page
    assert not Notice.objects.exclude(user=users["tecnico"]).exists()


def test_a_job_put_back_in_the_queue_tells_no_one_until_it_ends(users, settings):
    settings.JOBS_MAX_ATTEMPTS = 2
    job = jobs.submit(users["tecnico"], "test.notices", {})
    job.attempts = 1
    job.save()
    assert jobs._retry_or_fail(job.pk, "el trabajador se detuvo") == "queued"
    assert not Notice.objects.exists()
    job.refresh_from_db()
    job.attempts = 2
    job.save()
    assert jobs._retry_or_fail(job.pk, "el trabajador se detuvo") == "failed"
    assert Notice.objects.get().kind == "job_failed"


def test_a_job_nobody_asked_for_tells_no_one(users):
    job = jobs.submit(users["tecnico"], "test.notices", {})
    type(job).objects.filter(pk=job.pk).update(created_by=None)
    jobs.run_pending()
    assert not Notice.objects.exists()
