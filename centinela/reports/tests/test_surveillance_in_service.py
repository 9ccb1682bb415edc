"""The yearly report's "Cameras in service" counts only cameras the monitor watches (installed, operational,
offline, degraded): planned, abandoned, under-maintenance and decommissioned cameras are not in service."""
import pytest
from django.utils import translation

from centinela.cameras.models import MONITORED_STATES, Device, Lifecycle, Site, System
from centinela.reports.selectors import annual_report
from centinela.territory.models import Parish

pytestmark = pytest.mark.django_db


def test_only_cameras_in_a_monitored_state_are_in_service():
    parish = Parish.objects.get(code="110101")
    site = Site.objects.create(name="Parque Lineal", lon=-79.2, lat=-3.99, parish=parish)
    system = System.objects.create(site=site, name="NVR Parque Lineal")
    for i, status in enumerate(Lifecycle.values):
        Device.objects.create(system=system, code=f"PL-{i}", name=status, lifecycle=status)
    with translation.override("es-ec"):
        rows = dict(annual_report(2020).surveillance.rows)
    assert rows["Cámaras en servicio"] == str(len(MONITORED_STATES)) == "4"
    Device.objects.filter(lifecycle=Lifecycle.ABANDONED).update(lifecycle=Lifecycle.OPERATIONAL)
    with translation.override("es-ec"):
        rows = dict(annual_report(2020).surveillance.rows)
    assert rows["Cámaras en servicio"] == "5"
