import pytest
from django.urls import reverse

from centinela.territory.models import Place

pytestmark = pytest.mark.django_db


def test_home_map_carries_every_layer(client_for):
    response = client_for("tecnico").get(reverse("home"))
    layers = response.context["map_layers"]
    assert len(layers["parishes"]["features"]) == 19
    assert len(layers["places"]["features"]) == Place.objects.count()
    assert all(f["properties"]["approximate"] for f in layers["parishes"]["features"])
    assert response.context["any_approximate"]
