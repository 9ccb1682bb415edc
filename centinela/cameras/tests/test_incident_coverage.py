"""The headline indicator: the share of the canton's incidents in view of a working camera, per period and scoped
by the one permission check, on the network dashboard and in the yearly report's video-surveillance section."""

import pytest
from django.urls import reverse

from centinela.cameras import selectors
from centinela.incidents.models import Incident, Source

pytestmark = pytest.mark.django_db


def test_the_share_counts_incidents_in_view_of_a_working_camera(hand_made, users):
    cov = selectors.year_coverage(users["directora"], 2021)
    assert (cov.total, cov.in_view, cov.share, cov.synthetic) == (4, 1, 0.25, False)
    assert selectors.year_coverage(None, 2021).total == 4  # the report's whole canton
    last = selectors.year_coverage(users["directora"], 2020)
    assert (last.total, last.in_view) == (1, 1)
    assert selectors.year_coverage(users["directora"], 2019).share is None  # nothing to divide


def test_the_share_is_scoped_by_the_permission_check(hand_made, users):
    sagrario = selectors.year_coverage(users["presidente.sagrario"], 2021)
    valle = selectors.year_coverage(users["presidente.valle"], 2021)
    assert (sagrario.total, sagrario.in_view) == (3, 1)
    assert (valle.total, valle.in_view, valle.share) == (1, 0, 0.0)
    assert selectors.year_coverage(users["enlace.policia"], 2021).total == 4


def test_the_dashboard_shows_the_headline_for_the_latest_year(hand_made, client_for):
    response = client_for("directora").get(reverse("cameras:dashboard"))
    cov = response.context["incident_coverage"]
    assert (cov.start.year, cov.total, cov.in_view) == (2021, 4, 1)
    body = response.content.decode()
    assert "25,0 %" in body and "de los incidentes de 2021 ocurrieron a la vista de una cámara" in body
    assert "datos sintéticos" not in body
    valle = client_for("presidente.valle").get(reverse("cameras:dashboard")).context["incident_coverage"]
    assert (valle.total, valle.in_view) == (1, 0)


def test_synthetic_incidents_are_labelled_on_the_dashboard_and_in_the_report(hand_made, client_for):
    from centinela.incidents.selectors import SYNTHETIC_SOURCE
    from centinela.reports.selectors import annual_report

    Incident.objects.filter(pk=hand_made["seen"].pk).update(
        source=Source.objects.create(code=SYNTHETIC_SOURCE, name="Datos sintéticos (demo)")
    )
    body = client_for("directora").get(reverse("cameras:dashboard")).content.decode()
    assert "Incluye datos sintéticos de demostración" in body
    rows = dict(annual_report(2021).surveillance.rows)
    assert (
        rows["Proporción de incidentes a la vista de una cámara en funcionamiento (datos sintéticos de demostración)"]
        == "25,0 %"
    )


def test_the_yearly_report_uses_the_incidents_of_its_year(hand_made, users):
    from centinela.reports.selectors import annual_report

    rows = dict(annual_report(2021).surveillance.rows)
    assert rows["Incidentes registrados en el año"] == "4"
    assert rows["Incidentes a la vista de una cámara en funcionamiento"] == "1"
    assert rows["Proporción de incidentes a la vista de una cámara en funcionamiento"] == "25,0 %"
    assert (
        dict(annual_report(2020).surveillance.rows)[
            "Proporción de incidentes a la vista de una cámara en funcionamiento"
        ]
        == "100,0 %"
    )
    valle = dict(annual_report(2021, user=users["presidente.valle"]).surveillance.rows)
    assert "Incidentes registrados en el año" not in valle  # no camera in El Valle: no section at all
