"""The ECU 911 page lists the operator trainings on the system: in the 2020 demo, the training of the ECU 911's
operational staff held under the agreement, and not the council's other trainings."""

import pytest
from django.urls import reverse

from centinela.activities.demo import load_demo_year_2020
from centinela.activities.models import Activity
from centinela.cameras import selectors

pytestmark = pytest.mark.django_db
ECU_TRAINING = "Capacitación al personal operativo del SIS ECU 911 sobre sistemas y normas de videovigilancia"


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_demo_year_2020()


def test_the_demo_ecu911_training_is_an_operator_training(demo, users):
    trainings = list(selectors.ecu911_trainings(users["tecnico"]))
    assert ECU_TRAINING in [a.title for a in trainings]
    assert all(a.kind == Activity.Kind.TRAINING for a in trainings)
    others = Activity.objects.filter(kind=Activity.Kind.TRAINING).exclude(pk__in=[a.pk for a in trainings])
    assert others.exists()  # the council's trainings for barrios and schools are not ECU 911 operator trainings
    assert not others.filter(title__icontains="ECU 911").exists()


def test_the_ecu911_page_lists_the_demo_training(demo, client_for):
    activity = Activity.objects.get(title=ECU_TRAINING)
    page = client_for("enlace.ecu911").get(reverse("cameras:ecu911"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Capacitaciones a operadores" in html and ECU_TRAINING in html and activity.get_absolute_url() in html
    assert "20/08/2020" in html
