"""The yearly report's "Cameras in service" (on 31 December of its year, from the status history) counts only
cameras the monitor watches (installed, operational, offline, degraded): planned, abandoned, under-maintenance and
decommissioned cameras are not in service."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone, translation

from centinela.cameras.models import MONITORED_STATES, Device, Lifecycle, Site, StatusChange, System
from centinela.reports.selectors import annual_report
from centinela.territory.models import Parish

pytestmark = pytest.mark.django_db
IN_SERVICE = "Cámaras en servicio al 31 de diciembre de 2020"


def test_only_cameras_in_a_monitored_state_are_in_service():
    parish = Parish.objects.get(code="110101")
    site = Site.objects.create(name="Parque Lineal", lon=-79.2, lat=-3.99, parish=parish)
    system = System.objects.create(site=site, name="NVR Parque Lineal")
    for i, status in enumerate(Lifecycle.values):
        Device.objects.create(system=system, code=f"PL-{i}", name=status, lifecycle=status)
    with translation.override("es-ec"):
        rows = dict(annual_report(2020).surveillance.rows)
    assert rows[IN_SERVICE] == str(len(MONITORED_STATES)) == "4"
    Device.objects.filter(lifecycle=Lifecycle.ABANDONED).update(lifecycle=Lifecycle.OPERATIONAL)
    with translation.override("es-ec"):
        rows = dict(annual_report(2020).surveillance.rows)
    assert rows[IN_SERVICE] == "5"


def _at(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


def test_cameras_are_counted_as_they_stood_on_31_december_not_as_they_stand_today():
    parish = Parish.objects.get(code="110101")
    site = Site.objects.create(name="Parque Jipiro", lon=-79.2, lat=-3.97, parish=parish)
    system = System.objects.create(site=site, name="NVR Jipiro", installed_on=date(2019, 5, 1))
    # decommissioned in 2022: in service in 2020
    gone = Device.objects.create(system=system, code="J-1", name="gone", lifecycle=Lifecycle.DECOMMISSIONED)
    StatusChange.objects.create(
        device=gone, at=_at(date(2022, 3, 1)), from_status=Lifecycle.OPERATIONAL, to_status=Lifecycle.DECOMMISSIONED
    )
    # abandoned in November 2020, repaired in 2021: not in service on 31 December 2020
    repaired = Device.objects.create(system=system, code="J-2", name="repaired", lifecycle=Lifecycle.OPERATIONAL)
    StatusChange.objects.create(
        device=repaired, at=_at(date(2020, 11, 2)), from_status=Lifecycle.OFFLINE, to_status=Lifecycle.ABANDONED
    )
    StatusChange.objects.create(
        device=repaired, at=_at(date(2021, 2, 1)), from_status=Lifecycle.ABANDONED, to_status=Lifecycle.OPERATIONAL
    )
    # installed in 2021: not part of the 2020 network at all
    Device.objects.create(
        system=system, code="J-3", name="later", lifecycle=Lifecycle.OPERATIONAL, installed_on=date(2021, 6, 1)
    )
    # no history: its current status
    Device.objects.create(system=system, code="J-4", name="steady", lifecycle=Lifecycle.OPERATIONAL)
    with translation.override("es-ec"):
        rows = dict(annual_report(2020).surveillance.rows)
        assert rows[IN_SERVICE] == "2"  # J-1 (operational then) and J-4
        assert rows["Cámaras monitoreadas por la sala del ECU 911"] == "3"  # J-1, J-2, J-4 existed; J-3 did not
        rows_2022 = dict(annual_report(2022).surveillance.rows)
    assert rows_2022["Cámaras en servicio al 31 de diciembre de 2022"] == "3"  # J-2, J-3, J-4; J-1 decommissioned
