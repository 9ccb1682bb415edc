"""The 2020 demo year for a whole test module: loaded once inside a transaction rolled back at the module's end, each
test's own transaction nesting in it as a savepoint. Loading it takes a second or two; fifty tests read it."""

from contextlib import contextmanager

from django.db import connection, transaction
from django.test import override_settings

from centinela.activities.demo import load_demo_year_2020


def assert_test_database():
    """A module-scoped fixture runs before any test's `db`, and pytest-django creates the test database only when a
    collected test is marked for it: without that mark this would reach the real database (hence `pytestmark`)."""
    name = str(connection.settings_dict["NAME"])
    assert "memorydb" in name or name.startswith("test_"), f"not a test database: {name}"


@contextmanager
def demo_year_loaded(django_db_blocker, media_root):
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        assert_test_database()
        with transaction.atomic():
            load_demo_year_2020()
            yield
            transaction.set_rollback(True)
