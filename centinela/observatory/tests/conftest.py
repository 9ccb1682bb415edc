import pytest


@pytest.fixture
def registry(db):
    """400 synthetic incidents around Loja's centre over 120 days from 2024-01-01 (hot spots and near repeats)."""
    from centinela.observatory.tests.seed import seed_incidents

    seed_incidents(400)


PERIOD = {"start": "2024-01-01", "end": "2024-12-31"}
FORMS = {
    "kde": {**PERIOD, "cell": 100, "kernel": "quartic"},
    "gistar": {**PERIOD, "cell": 200, "kind": "queen", "order": 1, "permutations": 99, "seed": 0, "fdr": 0.05},
    "near_repeat": {**PERIOD, "distance_band": 100, "distance_bands": 3, "time_band": 7, "time_bands": 3,
                    "metric": "manhattan", "permutations": 99, "seed": 0},
    "placement": {**PERIOD, "k": 5, "radius": 150, "spacing": 150, "count_existing": "on", "solver": "exact"},
    "impact": {"treated_parishes": [], "distance": 150, "buffer": 300, "before_start": "2024-01-01",
               "before_end": "2024-02-29", "after_start": "2024-03-01", "after_end": "2024-04-30"},
    "accuracy": {"train_start": "2024-01-01", "train_end": "2024-03-15", "test_start": "2024-03-16",
                 "test_end": "2024-04-30", "predictor": "kde", "cell": 100, "area_share": 5},
}


def run(client, name, data):
    """Post the method's form, run the queued job here, return the job."""
    from django.urls import reverse

    from centinela.jobs import services
    from centinela.jobs.models import Job

    response = client.post(reverse(f"observatory:{name}"), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    job = Job.objects.latest("pk")
    assert response["Location"] == reverse("jobs:job_detail", args=[job.pk])
    services.run_pending()
    job.refresh_from_db()
    return job
