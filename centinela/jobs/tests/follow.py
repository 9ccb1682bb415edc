"""For tests of an import page whose confirmation queues a job (centinela.jobs.imports): confirm, run the queue as
`run_jobs` does, and follow the job's page to its result as the browser does (`?follow=1`: the status fragment
answers with HX-Redirect once the job is done)."""

from django.urls import resolve, reverse

from centinela.jobs.models import Job
from centinela.jobs.services import run_pending


def confirm_and_run(client, url, data):
    """POST the confirmation `data` to the import page `url`; it must lead to a queued job's page, which the queue
    then runs. Returns (the confirmation's response, the job as it ended)."""
    response = client.post(url, data)
    assert response.status_code == 302 and "/trabajos/" in response["Location"], response
    assert response["Location"].endswith("?follow=1")
    job = Job.objects.get(pk=resolve(response["Location"].split("?")[0]).kwargs["pk"])
    assert job.status == Job.Status.QUEUED
    assert client.get(response["Location"]).status_code == 200  # the browser lands on the job's page
    assert run_pending() == 1
    job.refresh_from_db()
    return response, job


def follow_to_result(client, job):
    """The job's page followed to its result, as the browser does; the response of the result's address (followed
    through its redirects), with `applied_url`: that address."""
    status = client.get(reverse("jobs:job_status", args=[job.pk]), {"follow": "1"})
    assert status.status_code == 204, (job.status, job.error)
    result = client.get(status["HX-Redirect"], follow=True)
    result.applied_url = status["HX-Redirect"]
    return result


def confirm(client, url, data):
    """Confirm, run the job and follow it to its result: the response the user ends up on (redirect_chain as
    `client.post(..., follow=True)` gave it when the import applied in the request, from the result's address on)."""
    response, job = confirm_and_run(client, url, data)
    if job.status != Job.Status.DONE:
        return client.get(response["Location"])
    return follow_to_result(client, job)
