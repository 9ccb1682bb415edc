"""Every page that starts or follows a background job says plainly when no job worker is running (issue 10, item 3):
the import pages (incidents, boundaries, activities, a training's attendance sheet; their large-file checks are
shown on the same pages), the analysis pages (the index, each method's form, a result still waiting), the yearly
report page (documents and drafts), a job's page for every kind of job, and the list of jobs. The notice
(`jobs/_no_worker.html`, class `no-worker`) shows when no worker has beaten, and not when one beat a moment ago (a
real beat: `jobs.services.beat`)."""

import pytest
from django.urls import reverse

from centinela.activities.tests.test_training_fixtures import *  # noqa: F401,F403 - make_training
from centinela.jobs import registry
from centinela.jobs.models import Job, WorkerBeat
from centinela.jobs.services import beat
from centinela.observatory.methods import METHODS

pytestmark = pytest.mark.django_db
NOTICE = 'class="alert alert-error no-worker"'

registry.autodiscover()
PAGES = [
    "incidents:import",
    "territory:boundary_import",
    "activities:activity_import",
    "attendance-import",  # a training's attendance-sheet import
    "observatory:index",
    *(f"observatory:{m.url_name}" for m in METHODS),
    "reports:annual_report",
    "jobs:job_list",
    "observatory-result",  # an analysis asked for and not run yet: its result address follows the job
    *(f"job:{kind}" for kind in sorted(registry.KINDS)),  # a queued job's page, of every kind
]


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    WorkerBeat.objects.all().delete()


def _url(page, user, fixtures):
    if page.startswith("job:"):
        job = Job.objects.create(kind=page.removeprefix("job:"), params={}, created_by=user)
        return reverse("jobs:job_detail", args=[job.pk])
    if page == "attendance-import":
        training = fixtures.getfixturevalue("make_training")()
        return reverse("activities:training_attendance_import", args=[training.pk])
    if page == "observatory-result":
        job = Job.objects.create(kind=f"observatory.{METHODS[0].name}", params={}, created_by=user)
        return reverse("observatory:result", args=[job.pk])
    return reverse(page)


@pytest.mark.parametrize("page", PAGES)
def test_a_page_that_starts_or_follows_a_job_says_when_no_worker_runs(client_for, users, page, request):
    client = client_for("tecnico")
    url = _url(page, users["tecnico"], request)
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    assert NOTICE in response.content.decode(), url
    beat("worker-de-prueba")  # a worker said it is alive just now
    response = client.get(url, follow=True)
    assert response.status_code == 200 and NOTICE not in response.content.decode(), url
