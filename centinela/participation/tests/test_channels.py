"""Notices to reporters by the channel they choose (participation.channels): e-mail always; SMS and WhatsApp through
Twilio's library only when the council configured them, here against a real HTTP peer on loopback that answers as
Twilio's Messages API does. A channel that fails never undoes the change, and falls back to nothing else silently:
the failure is logged."""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.core import mail

from centinela.participation import channels, services
from centinela.participation.channels.twilio_messages import e164
from centinela.participation.models import Report

from .conftest import file_report, solved

URL = "/participa/reportar/"
SID = "AC" + "0" * 32


class FakeTwilio(BaseHTTPRequestHandler):
    """Twilio's Messages resource as its documentation shows it: POST form fields To, From, Body with HTTP basic
    auth; 201 and the message as JSON (or the status the test asks for)."""

    received: list = []
    answer_status = 201

    def do_POST(self):  # noqa: N802 - the standard library's name
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        user, _sep, password = base64.b64decode(self.headers["Authorization"].split()[1]).decode().partition(":")
        type(self).received.append({"path": self.path, "form": form, "user": user, "password": password})
        body = json.dumps(
            {"sid": "SM" + "1" * 32, "status": "queued", "to": form.get("To"), "from": form.get("From")}
            if self.answer_status == 201
            else {"code": 20500, "message": "Internal Server Error", "status": 500}
        ).encode()
        self.send_response(self.answer_status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def twilio(settings):
    FakeTwilio.received = []
    FakeTwilio.answer_status = 201
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTwilio)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.TWILIO_ACCOUNT_SID = SID
    settings.TWILIO_AUTH_TOKEN = "secreto"
    settings.TWILIO_SMS_FROM = "+15005550006"
    settings.TWILIO_WHATSAPP_FROM = "whatsapp:+14155238886"
    settings.TWILIO_API_BASE = f"http://127.0.0.1:{server.server_port}"
    yield FakeTwilio
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "written, international",
    [
        ("099 111 2233", "+593991112233"),
        ("0991112233", "+593991112233"),
        ("07-257-0123", "+59372570123"),
        ("+593 99 111 2233", "+593991112233"),
        ("593991112233", "+593991112233"),
        ("+1 415 523 8886", "+14155238886"),
        ("12345", ""),
        ("", ""),
    ],
)
def test_phone_numbers_as_people_write_them_become_international(written, international):
    assert e164(written) == international


def test_without_twilio_settings_only_email_is_offered(client, categories):
    assert [c.code for c in channels.available()] == ["email"]
    page = client.get(URL).content.decode()
    assert 'name="notify_by"' not in page


def test_sms_cannot_be_chosen_when_not_configured(client, categories, sagrario_point):
    data = {
        "category": categories["alumbrado-deficiente"].pk,
        "lon": sagrario_point[0],
        "lat": sagrario_point[1],
        "description": "Poste sin luz",
        "contact_phone": "0991112233",
        "consent": "on",
        "notify_by": "sms",
        **solved(),
    }
    response = client.post(URL, data)
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_a_reporter_who_chose_sms_gets_the_code_and_link_by_sms(
    client, twilio, categories, sagrario_point, django_capture_on_commit_callbacks
):
    page = client.get(URL).content.decode()
    assert 'name="notify_by"' in page and "WhatsApp" in page
    data = {
        "category": categories["alumbrado-deficiente"].pk,
        "lon": sagrario_point[0],
        "lat": sagrario_point[1],
        "description": "Poste sin luz",
        "contact_phone": "099 111 2233",
        "consent": "on",
        "notify_by": "sms",
        **solved(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(URL, data).status_code == 302
    report = Report.objects.get()
    [sent] = twilio.received
    assert sent["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert (sent["user"], sent["password"]) == (SID, "secreto")
    assert sent["form"]["To"] == "+593991112233" and sent["form"]["From"] == "+15005550006"
    assert report.code in sent["form"]["Body"] and report.tracking_path() in sent["form"]["Body"]
    assert "Recibido" in sent["form"]["Body"]
    assert mail.outbox == []


def test_whatsapp_goes_with_the_whatsapp_prefix_and_staff_updates_follow(
    rf, users, twilio, categories, sagrario_point, django_capture_on_commit_callbacks
):
    contact = services.Contact(phone="0991112233", consent=True, notify_by="whatsapp")
    with django_capture_on_commit_callbacks(execute=True):
        report = file_report(categories["alumbrado-deficiente"], sagrario_point, contact=contact)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_update(users["admin"], report, status="in_review", text="Lo revisamos esta semana", public=True)
    first, second = twilio.received
    assert first["form"]["To"] == "whatsapp:+593991112233"
    assert first["form"]["From"] == "whatsapp:+14155238886"
    assert "En revisión" in second["form"]["Body"]
    # an internal note sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        services.post_update(users["admin"], report, status="in_review", text="Nota interna", public=False)
    assert len(twilio.received) == 2


def test_a_twilio_failure_keeps_the_change_and_is_logged(
    users, twilio, categories, sagrario_point, django_capture_on_commit_callbacks, caplog
):
    twilio.answer_status = 500
    contact = services.Contact(phone="0991112233", consent=True, notify_by="sms")
    with django_capture_on_commit_callbacks(execute=True):
        report = file_report(categories["alumbrado-deficiente"], sagrario_point, contact=contact)
    assert Report.objects.filter(pk=report.pk).exists()
    assert len(twilio.received) >= 1
    assert "could not notify the reporter" in caplog.text


def test_sms_chosen_but_switched_off_later_falls_back_to_email(
    settings, twilio, categories, sagrario_point, django_capture_on_commit_callbacks
):
    contact = services.Contact(phone="0991112233", email="rosa@example.ec", consent=True, notify_by="sms")
    report = file_report(categories["alumbrado-deficiente"], sagrario_point, contact=contact)
    settings.TWILIO_SMS_FROM = ""
    assert channels.delivery_for(report) == (channels.CHANNELS["email"], "rosa@example.ec")
    report.contact_consent = False
    assert channels.delivery_for(report) is None
