"""Two monitor processes at once on PostgreSQL (SELECT ... FOR UPDATE SKIP LOCKED): every device is probed exactly
once per round, by one of them. Each monitor has its own database thread and connection, as two processes would.
(On SQLite the compare-and-set claim is tested in test_monitor.py.)"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import connection, connections

from centinela.cameras.models import Device, Lifecycle, Site, System
from centinela.cameras.monitor import Monitor
from centinela.cameras.tests.test_monitor_peers import LoopbackCameras

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="row locks need PostgreSQL"
)


@pytest.fixture
def committed(transactional_db):
    """Rows committed for other connections to see; the shared fixtures are loaded again afterwards, since a
    transactional test empties the tables."""
    yield
    from centinela.accounts.demo import ensure_demo_users
    from centinela.territory.services import load_gazetteer

    load_gazetteer(settings.GAZETTEER_DIR)
    ensure_demo_users()


def _own_thread_executor():
    def close():
        connections.close_all()

    pool = ThreadPoolExecutor(max_workers=1)
    return pool, close


def test_two_monitors_never_probe_the_same_device(committed, settings, tmp_path):
    assert connection.vendor == "postgresql"
    settings.VAR_DIR = tmp_path
    with LoopbackCameras() as peer:
        site = Site.objects.create(name="Centro de Revisión Vehicular", lon=-79.2, lat=-4.0)
        system = System.objects.create(site=site, name="NVR CRV")
        Device.objects.bulk_create(
            [
                Device(
                    system=system,
                    code=f"CRV-{i:03}",
                    name=f"Cámara {i}",
                    lifecycle=Lifecycle.OPERATIONAL,
                    stream_url=peer.url(f"CRV-{i:03}"),
                )
                for i in range(120)
            ]
        )
        barrier = threading.Barrier(2)
        stats, errors = {}, []

        def run(name):
            pool, close = _own_thread_executor()
            try:
                m = Monitor(name, batch_size=7, probe_timeout=2.0, claim_seconds=30, executor=pool, heartbeat=False)
                barrier.wait()
                stats[name] = async_to_sync(m.run_once)()
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)
            finally:
                pool.submit(close).result()
                pool.shutdown()

        threads = [threading.Thread(target=run, args=(n,)) for n in ("monitor-a", "monitor-b")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors, errors
        assert stats["monitor-a"].probed + stats["monitor-b"].probed == 120
        assert stats["monitor-a"].probed and stats["monitor-b"].probed  # both did work
        assert set(peer.requests.values()) == {1} and len(peer.requests) == 120  # each device once
        assert Device.objects.filter(health=Device.Health.ONLINE, claimed_by="").count() == 120
