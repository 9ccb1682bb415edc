"""A camera's stream, snapshot or ONVIF address never carries a user and password (rtsp://user:pass@host/...): they
would be stored in clear and shown with the address. The model (and so the form and every service) refuses it with
a message that says where to write them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from centinela.cameras.models import Device
from centinela.cameras.tests.test_inventory_factories import make_device

pytestmark = pytest.mark.django_db

MESSAGE = "Escriba el usuario y la contraseña en sus campos, no en la dirección."


@pytest.mark.parametrize(
    "field, url",
    [
        ("stream_url", "rtsp://admin:clave@192.168.1.10:554/stream1"),
        ("stream_url", "rtsp://admin@192.168.1.10/stream1"),
        ("snapshot_url", "http://admin:clave@192.168.1.10/snap.jpg"),
        ("onvif_url", "https://:clave@192.168.1.10/onvif/device_service"),
    ],
)
def test_an_address_with_credentials_is_refused_by_the_model(field, url):
    device = make_device()
    setattr(device, field, url)
    with pytest.raises(ValidationError) as refused:
        device.full_clean()
    assert refused.value.message_dict[field] == [MESSAGE]


def test_the_camera_form_refuses_it_and_stores_nothing(client_for):
    device = make_device(stream_url="rtsp://192.168.1.10/live")
    client = client_for("tecnico")
    page = client.get(reverse("cameras:device_edit", args=[device.pk]))
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if k in form.fields and v is not None}
    data.update(
        system=device.system_id,
        code=device.code,
        name=device.name,
        camera_type="fixed",
        probe_interval_s=60,
        stream_url="rtsp://admin:clave-en-claro@192.168.1.10/live",
    )
    data["responsible"] = [u.pk for u in device.responsible.all()]
    response = client.post(reverse("cameras:device_edit", args=[device.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["stream_url"] == [MESSAGE]
    assert Device.objects.get(pk=device.pk).stream_url == "rtsp://192.168.1.10/live"


def test_an_at_sign_in_the_path_is_not_credentials():
    device = make_device(stream_url="rtsp://192.168.1.10/live@main")
    device.full_clean()
