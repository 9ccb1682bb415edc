"""Shared test fixtures: the Loja gazetteer and one user per role, loaded once per test database."""

import os

os.environ.setdefault("CENTINELA_TESTING", "1")
# The camera simulator and the tests' own peers listen on loopback, on any port: the tests allow it explicitly (the
# default allowance refuses loopback; cameras/tests/test_network_allowance.py checks that default). The environment
# is for the processes tests start; the fixture below for this one (its settings are read before this file).
TEST_CAMERA_NETWORKS, TEST_CAMERA_PORTS = "127.0.0.0/8,::1/128", "1-65535"
os.environ.setdefault("CAMERA_ALLOWED_NETWORKS", TEST_CAMERA_NETWORKS)
os.environ.setdefault("CAMERA_ALLOWED_PORTS", TEST_CAMERA_PORTS)

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connection

    from centinela.accounts.demo import ensure_demo_users
    from centinela.territory.services import load_gazetteer

    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        # never load fixtures into a real database: only into the test database pytest-django has just created
        assert name.startswith("test_") or "memory" in name or "/test_" in name, f"refusing to write to {name}"
        load_gazetteer(settings.GAZETTEER_DIR)
        ensure_demo_users()


@pytest.fixture(autouse=True)
def _no_job_worker_left_beating():
    """A job worker's beat file outlives the test that wrote it (files are not rolled back): each test starts
    with no worker said to be running."""
    yield
    from centinela.jobs.services import beat_folder

    try:
        for path in beat_folder().glob("*.beat"):
            path.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - a test without the database
        pass


@pytest.fixture(autouse=True)
def loopback_cameras_allowed(settings):
    settings.CAMERA_ALLOWED_NETWORKS = TEST_CAMERA_NETWORKS.split(",")
    settings.CAMERA_ALLOWED_PORTS = TEST_CAMERA_PORTS.split(",")


@pytest.fixture
def reference_data(transactional_db, settings):
    """A transactional test's database is flushed after each such test, and with it the session's gazetteer, demo
    users and the data the migrations wrote (incident categories, sources, shipped import profiles): load them again,
    inside the test database. Every `django_db(transaction=True)` test that reads them asks for this fixture."""
    from centinela.accounts.demo import ensure_demo_users
    from centinela.incidents.models import Category, ImportProfile, Source
    from centinela.incidents.profiles import ensure_shipped_profiles
    from centinela.incidents.taxonomy import ensure_taxonomy
    from centinela.territory.services import load_gazetteer

    ensure_taxonomy(Category, Source)
    ensure_shipped_profiles(ImportProfile, Source)
    load_gazetteer(settings.GAZETTEER_DIR)
    ensure_demo_users()


@pytest.fixture
def users(db):
    from centinela.accounts.models import User

    return {u.username: u for u in User.objects.select_related("parish")}


@pytest.fixture
def client_for(client, users):
    """client_for("tecnico") -> a test client logged in as that demo user (with its second factor, when it needs
    one)."""
    from django.test import Client

    from centinela.accounts.tests.helpers import verified_login

    def make(username):
        return verified_login(Client(), users[username])

    return make
