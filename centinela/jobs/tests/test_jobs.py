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
    assert "RuntimeError: boom" in crash.error and crash.error.startswith("Error interno")


def test_unknown_kind_is_refused_when_submitted(users):
    with pytest.raises(KeyError):
        services.submit(users["tecnico"], "no.such.kind", {})


def test_two_workers_never_claim_the_same_job(users):
    job = services.submit(users["tecnico"], "test.sum", {"values": [1]})
    first = services.claim_next("worker-a")
    second = services.claim_next("worker-b")
    assert first.pk == job.pk and first.worker == "worker-a"
    assert second is None


def test_a_job_whose_worker_died_goes_back_to_the_queue_after_a_back_off(users, settings):
    settings.JOBS_RETRY_BACKOFF = 30
    job = services.submit(users["tecnico"], "test.sum", {"values": [1]})
    services.claim_next("worker-a")
    assert services.requeue_stale() == 0  # its worker is alive
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert services.requeue_stale() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.attempts == 1
    assert timedelta(seconds=25) < job.run_after - timezone.now() <= timedelta(seconds=30)
    assert services.run_pending("worker-b") == 0  # not before its back-off
    Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
    assert services.run_pending("worker-b") == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.worker == "worker-b" and job.attempts == 2


def test_a_running_job_is_left_alone_while_its_worker_beats_even_without_progress(users):
    """A long import inside one SQLite transaction, or an analysis step, reports no progress for minutes: the
    worker's own heartbeat says it is alive, and nobody takes its job away."""
    job = services.submit(users["tecnico"], "test.sum", {"values": [1]})
    services.claim_next("worker-a")
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=30))
    services.beat("worker-a")
    assert services.requeue_stale() == 0
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and job.worker == "worker-a"


def test_a_job_that_keeps_losing_its_worker_fails_for_good_in_spanish_at_its_retry_cap(users, settings, client_for):
    settings.JOBS_MAX_ATTEMPTS = 2
    job = services.submit(users["tecnico"], "test.sum", {"values": [1]})
    for attempt in (1, 2):
        Job.objects.filter(pk=job.pk).update(run_after=None)
        assert services.claim_next(f"worker-{attempt}").pk == job.pk
        Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
        assert services.requeue_stale() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.attempts == 2 and job.finished_at
    assert job.error.startswith("El trabajo no pudo completarse después de 2 intentos"), job.error
    assert services.run_pending() == 0
    page = client_for("tecnico").get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert "Falló" in page and "después de 2 intentos" in page


@job_kind("test.database_down", label="Base caída")
def _database_down(job, progress):
    from django.db import OperationalError

    if job.attempts <= job.params["fails"]:  # its first `fails` attempts meet a locked database
        raise OperationalError("database is locked")
    return {"attempts": job.attempts}


def test_a_database_error_in_a_job_sends_it_back_to_the_queue_and_goes_up_to_the_worker(users, settings):
    from django.db import OperationalError

    settings.JOBS_RETRY_BACKOFF = 0
    job = services.submit(users["tecnico"], "test.database_down", {"fails": 2})
    with pytest.raises(OperationalError):  # the worker's loop waits for the database (test_worker_process)
        services.run_pending("w")
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.attempts == 1 and "database is locked" in job.message
    with pytest.raises(OperationalError):
        services.run_pending("w")
    assert services.run_pending("w") == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result == {"attempts": 3}


def test_a_job_whose_database_errors_outlast_its_attempts_fails_for_good(users, settings):
    from django.db import OperationalError

    settings.JOBS_RETRY_BACKOFF, settings.JOBS_MAX_ATTEMPTS = 0, 2
    job = services.submit(users["tecnico"], "test.database_down", {"fails": 5})
    for _ in range(2):
        with pytest.raises(OperationalError):
            services.run_pending("w")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "2 intentos" in job.error and "database is locked" in job.error


def test_the_worker_loop_survives_database_errors_and_retries_with_back_off(users, settings, caplog):
    """`services.work` (run_jobs's loop) with a database that fails three times: it logs each error, waits 1, 2,
    4 s (here scaled down) and goes on; the job then completes."""
    import threading

    settings.JOBS_RETRY_BACKOFF, settings.JOBS_MAX_ATTEMPTS = 0, 4
    job = services.submit(users["tecnico"], "test.database_down", {"fails": 3})
    stop = threading.Event()
    waits = []
    real_wait = stop.wait
    stop.wait = lambda seconds: waits.append(seconds) or real_wait(0)
    services.work("w", once=True, stop=stop)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 4
    assert waits[:3] == [1.0, 2.0, 4.0]
    assert sum("job worker w: database error" in r.getMessage() for r in caplog.records) == 3


def test_the_page_follows_the_job_and_links_the_result(users, client_for):
    job = services.submit(users["tecnico"], "test.sum", {"values": [4, 5]})
    client = client_for("tecnico")
    page = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert "En cola" in page and 'hx-trigger="every 1s"' in page
    assert "No hay ningún proceso de trabajos" in page  # no worker has beaten: said loudly
    services.beat("w")
    assert (
        "No hay ningún proceso de trabajos"
        not in client.get(reverse("jobs:job_status", args=[job.pk])).content.decode()
    )
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
    assert not WorkerBeat.objects.exists()  # a worker that stops says so at once: pages warn that none runs


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


@job_kind("test.again", label="Vuelve a empezar")
def _again(job, progress):
    progress(0.8, "primera vuelta")
    progress(0.3, "otra vuelta")  # work done again (an import that falls back to another way of writing)
    shown = Job.objects.values_list("progress", "message").get(pk=job.pk)
    return {"shown": list(shown)}


def test_the_progress_shown_never_goes_back(users, monkeypatch):
    """A job that does part of its work again reports a lower fraction: the bar stays where it was (a bar that
    moves back reads as a fault) and the message says what is being done."""
    monkeypatch.setattr(services, "PROGRESS_EVERY", 0)
    job = services.submit(users["tecnico"], "test.again", {})
    assert services.run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result == {"shown": [0.8, "otra vuelta"]}


@pytest.mark.django_db(transaction=True)
def test_the_progress_shown_never_goes_back_inside_a_long_transaction(monkeypatch):
    """The same while the job's work is one open transaction (its progress goes through another connection on
    PostgreSQL, through the side file on SQLite)."""
    from django.db import transaction
    from django.test import Client

    from centinela.accounts.models import Role, User

    monkeypatch.setattr(services, "PROGRESS_EVERY", 0)
    user = User.objects.create_user("tecnico-vuelta", password="x", role=Role.TECHNICIAN)
    job = services.submit(user, "test.sum", {"values": [1]})
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, heartbeat_at=timezone.now())
    job.refresh_from_db()
    report, close = services.transaction_progress(job, lambda f, m="": None)
    client = Client()
    client.force_login(user)
    status = reverse("jobs:job_status", args=[job.pk])
    try:
        with transaction.atomic():
            Job.objects.filter(pk=0).update(progress=0)  # the transaction has begun writing
            report(0.95, "Guardando")
            assert "95 %" in client.get(status).content.decode()
            report(0.91, "Otra importación guardó filas: guardando las demás")
            fragment = client.get(status).content.decode()
            assert "95 %" in fragment and "guardando las demás" in fragment
    finally:
        close()
