"""Fixtures the job tests share with the incident tests."""

from centinela.incidents.tests.conftest import ecu911_profile, points  # noqa: F401 - fixtures re-exported
