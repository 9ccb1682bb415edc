"""With DASK_SCHEDULER set, an analysis runs its permutations on that Dask cluster, and the same seed gives the
same result as in the worker's own process."""

import pytest

from centinela.jobs import services
from centinela.observatory.tests.conftest import FORMS

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as c:
        yield c


def _run(user, params, kind="observatory.near_repeat"):
    job = services.submit(user, kind, params)
    services.run_pending()
    job.refresh_from_db()
    assert job.status == "done", job.error
    return job.result


def test_near_repeat_on_a_dask_cluster_gives_the_in_process_result(registry, users, settings, cluster):
    from distributed import Client

    params = {**FORMS["near_repeat"], "permutations": 199}
    settings.DASK_SCHEDULER = ""
    here = _run(users["tecnico"], params)
    settings.DASK_SCHEDULER = cluster.scheduler_address
    with Client(cluster.scheduler_address) as client:

        def executed():
            return sum(client.run(lambda dask_worker: dask_worker.state.executed_count).values())

        before = executed()
        on_dask = _run(users["tecnico"], params)
        assert executed() - before >= 1  # 199 permutations = 4 chunks in one pass of lanes: a task on the cluster
    assert on_dask["knox"]["observed"] == here["knox"]["observed"]
    assert on_dask["knox"]["p_value"] == here["knox"]["p_value"]
    assert on_dask["table"] == here["table"]


def test_gistar_monte_carlo_on_a_dask_cluster_gives_the_in_process_result(registry, users, settings, cluster):
    from distributed import Client

    params = {**FORMS["gistar"], "p_method": "mc", "permutations": 199, "seed": 4}
    settings.DASK_SCHEDULER = ""
    here = _run(users["tecnico"], params, "observatory.gistar")
    settings.DASK_SCHEDULER = cluster.scheduler_address
    with Client(cluster.scheduler_address) as client:

        def executed():
            return sum(client.run(lambda dask_worker: dask_worker.state.executed_count).values())

        before = executed()
        on_dask = _run(users["tecnico"], params, "observatory.gistar")
        assert executed() - before >= 1  # the permutations ran as tasks on the cluster
    assert on_dask["stats"]["p_method"] == "mc" and on_dask["stats"]["permutations"] == 199
    assert on_dask["table"] == here["table"]
