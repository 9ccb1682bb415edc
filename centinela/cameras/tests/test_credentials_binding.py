"""A camera's stored user and password belong to the address they were entered for: changing the scheme, host or
port of any of its addresses drops them unless they are entered again in the same change (in the service layer,
so every way of saving obeys it; the drop is audited). Only the network managers change addresses or credentials."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied

from centinela.cameras import services
from centinela.cameras.models import Device
from centinela.cameras.tests.test_inventory_factories import make_device
from centinela.lib import crypto

pytestmark = pytest.mark.django_db


@pytest.fixture
def device(users):
    d = make_device(
        code="CRED-1",
        stream_url="rtsp://192.168.1.10:554/stream1",
        snapshot_url="http://192.168.1.10/snap.jpg",
        username="operador",
    )
    services.save_device(users["tecnico"], d, password="clave-antigua")
    Device.objects.filter(pk=d.pk).update(auth_scheme="digest")
    d.refresh_from_db()
    return d


@pytest.mark.parametrize(
    "change",
    [
        {"stream_url": "rtsp://203.0.113.50:554/stream1"},  # another host
        {"stream_url": "rtsps://192.168.1.10:554/stream1"},  # another scheme
        {"stream_url": "rtsp://192.168.1.10:8554/stream1"},  # another port
        {"snapshot_url": "http://192.168.1.10:8080/snap.jpg"},
        {"host": "192.168.1.99", "port": 554},  # the TCP check's
    ],
)
def test_changing_scheme_host_or_port_drops_the_stored_credentials(users, device, change):
    for field, value in change.items():
        setattr(device, field, value)
    services.save_device(users["tecnico"], device)
    device.refresh_from_db()
    assert (device.username, device.password_encrypted, device.auth_scheme) == ("", "", "")
    entry = LogEntry.objects.get_for_object(device).filter(changes__icontains="credentials").get()
    assert entry.changes_dict["credentials"][1] in (
        "descartadas: cambió la dirección de la cámara",
        "dropped: the camera's address changed",
    )
    assert "clave-antigua" not in str(entry.changes)


def test_credentials_entered_again_in_the_same_change_are_kept(users, device):
    device.stream_url = "rtsp://192.168.1.20:554/stream1"
    device.snapshot_url = ""
    device.username = "operador2"
    services.save_device(users["admin"], device, password="clave-nueva")
    device.refresh_from_db()
    assert device.username == "operador2" and crypto.decrypt(device.password_encrypted) == "clave-nueva"
    assert device.auth_scheme == ""  # a new peer: what the old one accepted says nothing


def test_a_new_path_on_the_same_host_keeps_the_credentials(users, device):
    device.stream_url = "rtsp://192.168.1.10:554/Streaming/Channels/101"
    device.name = "Otro nombre"
    services.save_device(users["tecnico"], device)
    device.refresh_from_db()
    assert device.username == "operador" and crypto.decrypt(device.password_encrypted) == "clave-antigua"
    assert device.auth_scheme == "digest"


@pytest.mark.parametrize("username", ["presidente.sagrario", "directora"])
def test_only_network_managers_change_addresses_or_credentials(users, device, username):
    device.stream_url = "rtsp://203.0.113.50:554/x"
    with pytest.raises(PermissionDenied):
        services.save_device(users[username], device)
    device.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.save_device(users[username], device, password="mia")
    device.name = "Renombrada por la parroquia"
    services.save_device(users[username], device)  # everything else they may change, as before
    device.refresh_from_db()
    assert device.name == "Renombrada por la parroquia" and device.stream_url == "rtsp://192.168.1.10:554/stream1"
    assert crypto.decrypt(device.password_encrypted) == "clave-antigua"


def test_the_edit_form_drops_the_credentials_when_the_host_changes(client_for, users, device):
    from django.urls import reverse

    from centinela.cameras.forms import DeviceForm

    client = client_for("tecnico")
    form = DeviceForm(instance=device, user=users["tecnico"])
    data = {name: form.initial.get(name) for name in form.fields if form.initial.get(name) is not None}
    data.update(stream_url="rtsp://192.168.1.77:554/stream1", snapshot_url="", password="", probe_interval_s=60)
    data.pop("responsible", None)
    response = client.post(reverse("cameras:device_edit", args=[device.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    device.refresh_from_db()
    assert device.stream_url == "rtsp://192.168.1.77:554/stream1"
    assert (device.username, device.password_encrypted) == ("", "")
