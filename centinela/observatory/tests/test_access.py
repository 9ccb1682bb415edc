"""Who may run analyses and see their results: staff and liaisons over every incident they may see; a parish
president only over their own parish's incidents; results only for whoever asked (and administrators and the
director); anonymous visitors meet the login."""

import json

import pytest
from django.urls import reverse

from centinela.incidents.models import Incident
from centinela.observatory.tests.conftest import FORMS, run

pytestmark = pytest.mark.django_db
PAGES = ["index", "kde", "gistar", "near_repeat", "placement", "impact", "accuracy"]


def test_anonymous_visitors_meet_the_login(client, registry, users):
    for name in PAGES:
        response = client.get(reverse(f"observatory:{name}"))
        assert response.status_code == 302 and "/cuenta/ingresar/" in response["Location"]
    job = run(_client_for(users["tecnico"]), "kde", FORMS["kde"])
    for url in (reverse("observatory:result", args=[job.pk]), reverse("observatory:download", args=[job.pk, "csv"])):
        response = client.get(url)
        assert response.status_code == 302 and "/cuenta/ingresar/" in response["Location"]


def _client_for(user):
    from django.test import Client

    from centinela.accounts.tests.helpers import verified_login

    return verified_login(Client(), user)


@pytest.mark.parametrize(
    "role", ["admin", "directora", "tecnico", "enlace.policia", "enlace.ecu911", "presidente.sagrario"]
)
def test_every_role_may_open_the_analysis_pages(registry, client_for, role):
    client = client_for(role)
    for name in PAGES:
        assert client.get(reverse(f"observatory:{name}")).status_code == 200, name
    assert "Análisis" in client.get(reverse("home")).content.decode()  # the nav entry


def test_a_liaison_runs_an_analysis_over_every_incident(registry, client_for):
    job = run(client_for("enlace.policia"), "kde", FORMS["kde"])
    assert job.status == "done" and job.result["n"] == Incident.objects.count()


def test_a_parish_president_analyses_only_their_parishs_incidents(registry, client_for, users):
    president = users["presidente.sagrario"]
    own = Incident.objects.filter(parish=president.parish).count()
    assert 0 < own < Incident.objects.count()
    job = run(client_for("presidente.sagrario"), "near_repeat", FORMS["near_repeat"])
    assert job.status == "done", job.error
    assert job.result["n"] == own
    assert job.result["knox"]["n"] == own
    # the parishes offered are their own only, and asking for another's is refused as an invalid choice
    other = Incident.objects.exclude(parish=president.parish).exclude(parish=None).first().parish_id
    response = client_for("presidente.sagrario").post(
        reverse("observatory:kde"), {**FORMS["kde"], "parishes": [str(other)]}
    )
    assert response.status_code == 200 and "parishes" in response.context["form"].errors


def test_results_are_seen_by_whoever_asked_and_by_the_director_only(registry, client_for):
    job = run(client_for("tecnico"), "gistar", FORMS["gistar"])
    url = reverse("observatory:result", args=[job.pk])
    assert client_for("tecnico").get(url).status_code == 200
    assert client_for("directora").get(url).status_code == 200
    assert client_for("presidente.valle").get(url).status_code == 404
    assert client_for("enlace.ecu911").get(reverse("observatory:download", args=[job.pk, "json"])).status_code == 404


def _points(job) -> list:
    return [tuple(f["geometry"]["coordinates"]) for f in job.result["geojson"]["features"]]


def test_a_parish_presidents_analysis_never_carries_the_incidents_points(registry, client_for, users):
    """A parish president reads where an incident happened only by its barrio (incidents.selectors
    .sees_exact_location): an analysis's map of the incidents analysed (and its JSON download) must not hand them
    the points, to the centimetre, that their incident list and its map leave out."""
    president = client_for("presidente.sagrario")
    job = run(president, "near_repeat", FORMS["near_repeat"])
    assert job.status == "done", job.error
    own = Incident.objects.filter(parish=users["presidente.sagrario"].parish)
    assert job.result["n"] == own.count() > 0
    assert _points(job) == [] and job.result["geojson"]["total"] == own.count()
    for fmt in ("json", "geojson"):  # the downloads: the whole result, and its map layer
        download = json.loads(president.get(reverse("observatory:download", args=[job.pk, fmt])).content)
        assert (download["geojson"] if fmt == "json" else download)["features"] == [], fmt
    assert president.get(reverse("observatory:result", args=[job.pk])).status_code == 200
    # those who see the exact points still get them
    staff_job = run(client_for("tecnico"), "near_repeat", FORMS["near_repeat"])
    assert len(_points(staff_job)) == staff_job.result["n"] > 0


def test_a_parish_presidents_analysis_sees_each_incident_at_its_barrios_centre(registry, client_for, users):
    """An analysis is a function of the incidents' points: a density on a grid of 2 m cells with a 2 m bandwidth
    gives a cell of one incident where each happened. A parish president's analyses therefore run on the barrio
    centres their incident map shows (the parish's for an incident without a barrio), never on the exact points."""
    from django.db.models import F
    from django.db.models.functions import Coalesce

    from centinela.observatory import selectors

    president = users["presidente.sagrario"]
    own = Incident.objects.filter(parish=president.parish)
    centres = {
        (lon, lat)
        for lon, lat in own.values_list(
            Coalesce(F("barrio__centre_lon"), F("parish__centre_lon")),
            Coalesce(F("barrio__centre_lat"), F("parish__centre_lat")),
        )
    }
    arrays = selectors.incident_arrays(president)
    assert len(arrays) == own.count() and set(zip(arrays.lon.tolist(), arrays.lat.tolist())) <= centres
    job = run(client_for("presidente.sagrario"), "kde", {**FORMS["kde"], "cell": 2, "bandwidth": 2})
    assert job.status == "done", job.error
    table = job.result["table"]
    count = table["header"].index("count")
    populated = [row for row in table["rows"] if row[count]]
    assert len(populated) <= len(centres) < own.count()  # one cell per barrio centre, not one per incident
    # staff analyse the exact points
    assert len(selectors.incident_arrays(users["tecnico"]).lon) == Incident.objects.count()
    exact = selectors.incident_arrays(users["tecnico"], parishes=[president.parish_id])
    assert len(set(zip(exact.lon.tolist(), exact.lat.tolist()))) > len(centres)
