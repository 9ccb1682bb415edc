"""The job queue: submit, claim once, run with progress, record results and failures, and follow it on a page."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from centinela.jobs import services
from centinela.jobs.models import Job, WorkerBeat
from centinela.jobs.registry import JobError, job_kind

pytestmark = pytest.mark.django_db


@job_kind("test.sum", label="Suma de prueba", result_url=lambda job: f"/resultado/{job.pk}/")
def _sum(job, progress):
    total = 0
    for i, value in enumerate(job.params["values"]):
        total += value
        progress((i + 1) / len(job.params["values"]), f"{i + 1} de {len(job.params['values'])}")
    if job.params.get("fail"):
        raise JobError("Los valores no alcanzan")
    if job.params.get("crash"):
        raise RuntimeError("boom")
    return {"total": total}


def test_a_job_runs_once_and_keeps_its_result(users):
    job = services.submit(users["tecnico"], "test.sum", {"values": [1, 2, 3]})
    assert job.status == Job.Status.QUEUED
    assert services.run_pending() == 1
    job.refresh_from_db()
    assert (job.status, job.result, job.progress) == (Job.Status.DONE, {"total": 6}, 1.0)
    assert job.started_at and job.finished_at and job.worker
    assert services.run_pending() == 0  # nothing left: a finished job is never run again


def test_failures_are_recorded_with_their_message(users):
    user_error = services.submit(users["tecnico"], "test.sum", {"values": [1], "fail": True})
    crash = services.submit(users["tecnico"], "test.sum", {"values": [1], "crash": True})
    services.run_pending()
    user_error.refresh_from_db()
    crash.refresh_from_db()
    assert user_error.status == crash.status == Job.Status.FAILED
    assert user_error.error == "Los valores no alcanzan"
    assert "RuntimeError: boom" in crash.error


def test_unknown_kind_is_refused_when_submitted(users):
    with pytest.raises(KeyError):
        services.submit(users["tecnico"], "no.such.kind", {})


def test_two_workers_never_claim_the_same_job(users):
    job = services.submit(users["tecnico"], "test.sum", {"values": [1]})
    first = services.claim_next("worker-a")
    second = services.claim_next("worker-b")
    assert first.pk == job.pk and first.worker == "worker-a"
    assert second is None


def test_a_job_whose_worker_died_goes_back_to_the_queue(users):
    job = services.submit(users["tecnico"], "test.sum", {"values": [1]})
    services.claim_next("worker-a")
    assert services.requeue_stale() == 0  # its worker is alive
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert services.requeue_stale() == 1
    assert services.run_pending("worker-b") == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.worker == "worker-b"


def test_the_page_follows_the_job_and_links_the_result(users, client_for):
    job = services.submit(users["tecnico"], "test.sum", {"values": [4, 5]})
    client = client_for("tecnico")
    page = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert "En cola" in page and 'hx-trigger="every 1s"' in page
    assert "No hay ningún proceso de trabajos" in page  # no worker has beaten: said loudly
    WorkerBeat.objects.create(name="w", last_seen=timezone.now())
    assert "No hay ningún proceso de trabajos" not in client.get(reverse("jobs:job_status", args=[job.pk])).content.decode()
    services.run_pending()
    fragment = client.get(reverse("jobs:job_status", args=[job.pk])).content.decode()
    assert "Terminado" in fragment and f"/resultado/{job.pk}/" in fragment and "every 1s" not in fragment
    follow = client.get(reverse("jobs:job_status", args=[job.pk]) + "?follow=1")
    assert follow["HX-Redirect"] == f"/resultado/{job.pk}/"


def test_only_the_asker_and_the_direction_see_a_job(users, client_for):
    job = services.submit(users["tecnico"], "test.sum", {"values": [1]})
    url = reverse("jobs:job_detail", args=[job.pk])
    assert client_for("directora").get(url).status_code == 200
    assert client_for("enlace.policia").get(url).status_code == 404
    assert client_for("presidente.valle").get(url).status_code == 404
    assert client_for("admin").get(reverse("jobs:job_list")).status_code == 200


def test_the_worker_command_drains_the_queue(users):
    from django.core.management import call_command

    job = services.submit(users["tecnico"], "test.sum", {"values": [2, 2]})
    call_command("run_jobs", "--once")
    job.refresh_from_db()
    assert job.result == {"total": 4}
    assert WorkerBeat.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_progress_reported_inside_a_long_transaction_shows_on_the_page_before_it_commits():
    """An import writes all its rows in one transaction; its progress still reaches the job's page meanwhile
    (PostgreSQL: through a connection of its own; SQLite: through the side file), and the side file goes at the end.
    A transactional test (committed rows, seen by another connection): it makes its own user, since the demo users
    of the migrations are flushed by the transactional tests that run before it."""
    from django.db import connection, transaction
    from django.test import Client

    from centinela.accounts.models import Role, User

    user = User.objects.create_user("tecnica-progreso", password="x", role=Role.TECHNICIAN)
    job = services.submit(user, "test.sum", {"values": [1]})
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, heartbeat_at=timezone.now())
    job.refresh_from_db()
    plain = []
    report, close = services.transaction_progress(job, lambda f, m="": plain.append(f))
    client = Client()
    client.force_login(user)
    status = reverse("jobs:job_status", args=[job.pk])
    try:
        report(0.1, "antes")  # outside a transaction: the ordinary progress callback
        assert plain == [0.1]
        with transaction.atomic():
            Job.objects.filter(pk=0).update(progress=0)  # the transaction has begun writing
            report(0.6, "Escritas 600 de 1.000 filas")
            assert plain == [0.1], "inside the transaction the ordinary callback is not used"
            fragment = client.get(status).content.decode()
            assert "60 %" in fragment and "Escritas 600 de 1.000 filas" in fragment
            listing = client.get(reverse("jobs:job_list")).content.decode()
            assert "60" in listing
    finally:
        close()
    assert not services.sidecar_path(job.pk).exists()
    if connection.vendor != "postgresql":
        assert "60 %" not in client.get(status).content.decode(), "the side file is gone; the database rules again"
