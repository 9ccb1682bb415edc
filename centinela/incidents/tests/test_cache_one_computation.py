"""incidents.cache.cached: when the incidents' data version changes, one request computes the figures; the others
meanwhile get the figures of the version before, or wait for that one computation when there are none. Before,
every request that missed computed them at once (a page waited 49 s at a million incidents)."""

import threading
import time

import pytest
from django.test.utils import override_settings

from centinela.incidents import cache as incidents_cache

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "one-computation"}}


@pytest.fixture
def locmem():
    from django.core.cache import cache

    with override_settings(CACHES=LOCMEM):
        cache.clear()
        yield cache
        cache.clear()


class Computation:
    def __init__(self, value, release=None):
        self.value, self.release, self.calls = value, release, 0
        self.lock = threading.Lock()
        self.started = threading.Event()

    def __call__(self):
        with self.lock:
            self.calls += 1
        self.started.set()
        if self.release is not None:
            assert self.release.wait(10)
        else:
            time.sleep(0.3)
        return self.value


def _in_threads(n, call):
    results = [None] * n

    def run(i):
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_many_requests_that_miss_together_compute_once(locmem):
    compute = Computation({"total": 40})
    results = _in_threads(8, lambda: incidents_cache.cached("figures", ("canton",), compute, version="1.40"))
    assert compute.calls == 1
    assert results == [{"total": 40}] * 8


def test_while_a_new_version_is_computed_the_others_get_the_figures_before(locmem):
    incidents_cache.cached("figures", ("canton",), Computation({"total": 40}), version="1.40")
    release = threading.Event()
    slow = Computation({"total": 41}, release=release)
    first = threading.Thread(
        target=incidents_cache.cached, args=("figures", ("canton",), slow), kwargs={"version": "2.41"}
    )
    first.start()
    assert slow.started.wait(10)
    meanwhile = _in_threads(4, lambda: incidents_cache.cached("figures", ("canton",), slow, version="2.41"))
    assert meanwhile == [{"total": 40}] * 4 and slow.calls == 1
    release.set()
    first.join(10)
    assert incidents_cache.cached("figures", ("canton",), slow, version="2.41") == {"total": 41}
    assert slow.calls == 1
    other_filters = Computation({"total": 3})  # the figures before are those of the same filters only
    assert incidents_cache.cached("figures", ("barrio 7",), other_filters, version="2.41") == {"total": 3}


def test_while_one_version_is_computed_requests_for_newer_versions_get_the_figures_before_too(locmem):
    """Incidents saved every few seconds make a new version each time: the requests that come meanwhile, each with
    a newer version, must not each compute figures of their own (three open-data pages took 32 s each at a million
    incidents while a user kept saving incidents)."""
    incidents_cache.cached("figures", ("canton",), Computation({"total": 40}), version="1.40")
    release = threading.Event()
    slow = Computation({"total": 41}, release=release)
    first = threading.Thread(
        target=incidents_cache.cached, args=("figures", ("canton",), slow), kwargs={"version": "2.41"}
    )
    first.start()
    assert slow.started.wait(10)
    newer = Computation({"total": 43})
    meanwhile = [incidents_cache.cached("figures", ("canton",), newer, version=f"{3 + i}.{42 + i}") for i in range(4)]
    assert meanwhile == [{"total": 40}] * 4 and newer.calls == 0 and slow.calls == 1
    release.set()
    first.join(10)
    assert incidents_cache.cached("figures", ("canton",), newer, version="7.43") == {"total": 43}  # then the newest
    assert newer.calls == 1


def test_a_computation_that_fails_lets_the_next_request_compute(locmem):
    def broken():
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        incidents_cache.cached("figures", ("canton",), broken, version="1.40")
    assert incidents_cache.cached("figures", ("canton",), Computation({"total": 40}), version="1.40") == {"total": 40}


def test_a_culled_version_counter_never_makes_an_old_key_again(locmem, db):
    """The file cache culls entries past its MAX_ENTRIES, the version counter among them: the counter must not
    start again at a value it had, or the figures kept under that older version come back."""
    first = incidents_cache.data_version()
    incidents_cache.bump()
    incidents_cache.bump()
    locmem.delete(incidents_cache.VERSION_KEY)  # culled
    again = incidents_cache.data_version()
    assert again != first
    locmem.delete(incidents_cache.VERSION_KEY)
    incidents_cache.bump()  # a bump with no counter
    assert incidents_cache.data_version() not in (first, again)
