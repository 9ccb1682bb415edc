"""Alerts: who hears about a camera, e-mail through Django's mail, webhooks as JSON POSTs to a real HTTP server on
loopback, retries with backoff, giving up, and never sending twice."""
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.utils import timezone

from centinela.cameras import alerts
from centinela.cameras.models import Alert, AlertRecipient, Device, Site, System


class Hook:
    """A real webhook receiver on 127.0.0.1: records JSON bodies, answers `status`."""

    def __init__(self):
        self.bodies, self.status = [], 200
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                hook.bodies.append((self.headers.get("Content-Type"), json.loads(self.rfile.read(length))))
                self.send_response(hook.status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook():
    h = Hook()
    yield h
    h.close()


@pytest.fixture
def device(db, users):
    site = Site.objects.create(name="Parque Bolívar", lon=-79.2, lat=-3.99)
    system = System.objects.create(site=site, name="NVR Bolívar")
    d = Device.objects.create(system=system, code="BOL-1", name="Entrada norte", last_detail="RTSP: sin respuesta en 5 s")
    tech = users["tecnico"]
    tech.email = "tecnico@example.org"
    tech.save()
    d.responsible.add(tech)
    return d


def test_channels_are_responsible_people_and_recipients_without_duplicates(device, users, hook):
    other_system = System.objects.create(site=device.system.site, name="Otro NVR")
    AlertRecipient.objects.create(webhook_url=hook.url)
    AlertRecipient.objects.create(user=users["tecnico"])  # already responsible: no second e-mail
    AlertRecipient.objects.create(webhook_url="http://127.0.0.1:9/otro", system=other_system)
    AlertRecipient.objects.create(webhook_url="http://127.0.0.1:9/inactivo", active=False)
    assert alerts.channels_for(device) == ["tecnico@example.org", hook.url]


def test_email_and_webhook_are_delivered_once(device, hook):
    AlertRecipient.objects.create(webhook_url=hook.url)
    alerts.queue(device, "offline")
    assert alerts.deliver_pending() == 2
    assert len(mail.outbox) == 1 and "BOL-1" in mail.outbox[0].subject and mail.outbox[0].to == ["tecnico@example.org"]
    ctype, body = hook.bodies[0]
    assert ctype == "application/json" and body["event"] == "offline" and body["device"] == "BOL-1"
    assert body["site"] == "Parque Bolívar" and "RTSP: sin respuesta en 5 s" in body["detail"]
    assert not Alert.objects.filter(sent_at__isnull=True).exists()
    assert alerts.deliver_pending() == 0 and len(hook.bodies) == 1 and len(mail.outbox) == 1


def test_failed_webhook_is_retried_with_backoff_then_given_up(device, hook):
    device.responsible.clear()
    AlertRecipient.objects.create(webhook_url=hook.url)
    hook.status = 500
    t0 = timezone.now()
    alerts.queue(device, "offline", at=t0)
    assert alerts.deliver_pending(now=t0) == 0
    alert = Alert.objects.get()
    assert alert.attempts == 1 and alert.error == "HTTP 500" and alert.sent_at is None
    assert alerts.pending(now=t0 + timedelta(seconds=30)) == []  # not due before the backoff
    hook.status = 200
    assert alerts.deliver_pending(now=t0 + timedelta(seconds=61)) == 1
    alert.refresh_from_db()
    assert alert.sent_at is not None and alert.attempts == 2 and alert.error == ""
    # a webhook that never works is given up after MAX_ATTEMPTS
    hook.status = 503
    alerts.queue(device, "online", at=t0)
    later = t0
    for _ in range(alerts.MAX_ATTEMPTS + 2):
        later += timedelta(hours=1)
        alerts.deliver_pending(now=later)
    failed = Alert.objects.get(event="online")
    assert failed.attempts == alerts.MAX_ATTEMPTS and failed.sent_at is None and failed.error == "HTTP 503"


def test_unreachable_webhook_fails_fast_without_crashing(device):
    device.responsible.clear()
    AlertRecipient.objects.create(webhook_url="http://127.0.0.1:9/cerrado")
    alerts.queue(device, "offline")
    assert alerts.deliver_pending() == 0
    assert Alert.objects.get().error  # the reason is recorded


def test_online_alert_says_it_is_back(device):
    alerts.queue(device, "online")
    alerts.deliver_pending()
    assert "BOL-1" in mail.outbox[0].subject and mail.outbox[0].body
