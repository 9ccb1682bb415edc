"""A draft version of the yearly report (its PDF, figures and hash) is built by the job worker, not in the web
request: the page queues a `reports.draft` job and goes to its page, which goes on to the report page when the
draft is done. The job checks again that its account may still generate a draft."""

import pytest
from django.urls import reverse

from centinela.accounts.models import Role
from centinela.activities.tests import factories
from centinela.jobs.models import Job
from centinela.jobs.services import run_pending
from centinela.reports.models import ReportVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path


@pytest.fixture
def year(users):
    factories.plan(2031)
    return 2031


def test_the_page_queues_the_draft_and_its_job_page_goes_on_to_the_report(client_for, year):
    staff = client_for("tecnico")
    response = staff.post(reverse("reports:version_generate"), {"year": year})
    job = Job.objects.get(kind="reports.draft")
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk]) + "?follow=1"
    assert not ReportVersion.objects.exists()  # nothing built in the request
    assert job.params == {"year": year} and job.created_by.username == "tecnico"

    assert run_pending() == 1  # the worker's own loop, as run_jobs calls it
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    version = ReportVersion.objects.get()
    assert (version.year, version.number, version.created_by.username) == (year, 1, "tecnico")
    assert job.result == {"version": version.pk, "label": str(version)}
    followed = staff.get(reverse("jobs:job_status", args=[job.pk]), {"follow": "1"})
    assert followed["HX-Redirect"] == reverse("reports:annual_report")
    assert reverse("reports:version_download", args=[version.pk]) in staff.get("/informes/anual/").content.decode()


def test_the_job_checks_again_that_its_account_may_generate_a_draft(client_for, users, year):
    client_for("tecnico").post(reverse("reports:version_generate"), {"year": year})
    technician = users["tecnico"]
    technician.role = Role.PARISH_PRESIDENT  # moved to another post before the worker got to it
    technician.save()
    assert run_pending() == 1
    job = Job.objects.get(kind="reports.draft")
    assert job.status == Job.Status.FAILED
    assert job.error == "La cuenta que pidió este borrador ya no puede generarlo."
    assert not ReportVersion.objects.exists()


def test_those_who_may_not_generate_a_draft_queue_nothing(client_for, year):
    for username in ("enlace.policia", "presidente.sagrario"):
        assert client_for(username).post(reverse("reports:version_generate"), {"year": year}).status_code == 403
    assert not Job.objects.exists()
