"""Alerts: who hears about a camera, e-mail through Django's mail, webhooks as JSON POSTs to a real HTTP server on
loopback, retries with backoff, giving up, and never sending twice."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from centinela.cameras import alerts
from centinela.cameras.models import Alert, AlertRecipient, Device, Site, System
from centinela.cameras.webhooks import DEFAULT_PORTS as WEBHOOK_DEFAULT_PORTS
from centinela.cameras.webhooks import WebhookPolicy, host_listed


class Hook:
    """A real webhook receiver on 127.0.0.1: records JSON bodies (and the Host header), answers `status`."""

    def __init__(self):
        self.bodies, self.hosts, self.status, self.location = [], [], 200, None
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                hook.bodies.append((self.headers.get("Content-Type"), json.loads(self.rfile.read(length))))
                hook.hosts.append(self.headers.get("Host"))
                self.send_response(hook.status)
                if hook.location:
                    self.send_header("Location", hook.location)
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


@pytest.fixture(autouse=True)
def webhooks_to_loopback_allowed(settings):
    """The receivers of these tests listen on loopback: allowed here by name, port and network (the default allows
    no webhook host at all; the tests at the end of this file check the allowance itself)."""
    settings.ALERT_WEBHOOK_HOSTS = ["127.0.0.1"]
    settings.ALERT_WEBHOOK_PORTS = ["1-65535"]
    settings.ALERT_WEBHOOK_NETWORKS = ["127.0.0.0/8"]


@pytest.fixture
def hook():
    h = Hook()
    yield h
    h.close()


@pytest.fixture
def device(db, users):
    site = Site.objects.create(name="Parque Bolívar", lon=-79.2, lat=-3.99)
    system = System.objects.create(site=site, name="NVR Bolívar")
    d = Device.objects.create(
        system=system, code="BOL-1", name="Entrada norte", last_detail="RTSP: sin respuesta en 5 s"
    )
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


# --- where webhooks may go: only what the server's administrator allows --------------------------------------------


def test_by_default_no_webhook_host_is_allowed_and_nothing_is_sent(device, hook, settings):
    settings.ALERT_WEBHOOK_HOSTS, settings.ALERT_WEBHOOK_NETWORKS = [], []
    settings.ALERT_WEBHOOK_PORTS = WEBHOOK_DEFAULT_PORTS.split(",")
    device.responsible.clear()
    AlertRecipient.objects.create(webhook_url=hook.url)
    alerts.queue(device, "offline")
    assert alerts.deliver_pending() == 0
    assert hook.bodies == []
    assert Alert.objects.get().error == "webhook_host_not_allowed: host=127.0.0.1"


def test_a_host_allowed_by_name_that_resolves_to_a_private_address_gets_no_connection(device, hook, settings):
    """The name is allowed, the address it resolves to (loopback: the server's own services) is not listed."""
    settings.ALERT_WEBHOOK_HOSTS, settings.ALERT_WEBHOOK_NETWORKS = ["localhost"], []
    device.responsible.clear()
    AlertRecipient.objects.create(webhook_url=hook.url.replace("127.0.0.1", "localhost"))
    alerts.queue(device, "offline")
    assert alerts.deliver_pending() == 0
    assert hook.bodies == []
    assert Alert.objects.get().error.startswith("address_not_allowed")


def test_a_port_not_allowed_gets_no_connection(device, hook, settings):
    settings.ALERT_WEBHOOK_PORTS = ["443"]
    device.responsible.clear()
    AlertRecipient.objects.create(webhook_url=hook.url)
    alerts.queue(device, "offline")
    alerts.deliver_pending()
    assert hook.bodies == [] and Alert.objects.get().error.startswith("port_not_allowed")


def test_an_allowed_name_is_posted_to_the_checked_address_with_its_own_host_header(device, hook, settings):
    settings.ALERT_WEBHOOK_HOSTS = ["localhost"]
    device.responsible.clear()
    url = hook.url.replace("127.0.0.1", "localhost")
    AlertRecipient.objects.create(webhook_url=url)
    alerts.queue(device, "offline")
    assert alerts.deliver_pending() == 1
    assert hook.hosts == [f"localhost:{hook.server.server_port}"]


def test_a_redirect_is_never_followed(device, hook):
    other = Hook()
    try:
        hook.status, hook.location = 307, other.url
        device.responsible.clear()
        AlertRecipient.objects.create(webhook_url=hook.url)
        alerts.queue(device, "offline")
        assert alerts.deliver_pending() == 0
        assert len(hook.bodies) == 1 and other.bodies == []
        assert Alert.objects.get().error == "HTTP 307"
    finally:
        other.close()


def test_a_recipient_with_a_host_not_allowed_is_refused_in_spanish_when_saved(settings):
    settings.ALERT_WEBHOOK_HOSTS = ["hooks.slack.com"]
    recipient = AlertRecipient(webhook_url="http://10.0.0.5:8080/hook")
    with translation.override("es"), pytest.raises(ValidationError) as info:
        recipient.full_clean()
    assert "El servidor no envía webhooks a 10.0.0.5" in info.value.message_dict["webhook_url"][0]
    AlertRecipient(webhook_url="https://hooks.slack.com/services/T0/B0/x").full_clean()
    with pytest.raises(ValidationError):
        AlertRecipient(webhook_url="https://user:pw@hooks.slack.com/x").full_clean()


@pytest.mark.parametrize(
    "host,allowed",
    [
        ("a.example.org", True),
        ("x.y.example.org", True),
        ("example.org", False),
        ("badexample.org", False),
        ("hooks.slack.com", True),
        ("HOOKS.SLACK.COM.", True),
        ("evil-hooks.slack.com", False),
        ("slack.com", False),
    ],
)
def test_host_names_match_exactly_or_under_an_allowed_domain(host, allowed):
    assert host_listed(host, ["*.example.org", "hooks.slack.com"]) is allowed


@pytest.mark.parametrize(
    "address,allowed",
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("10.0.0.5", False),
        ("192.168.1.10", False),
        ("100.64.0.1", False),
        ("127.0.0.1", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1", False),
        ("::ffff:127.0.0.1", False),
        ("10.20.0.7", True),  # inside the listed network
        ("203.0.113.9", False),  # a documentation range: not public
    ],
)
def test_only_public_addresses_or_listed_networks_are_reached(address, allowed):
    policy = WebhookPolicy.parse(["x"], ["443"], ["10.20.0.0/16"], own=set())
    assert policy.address_allowed(address) is allowed


def test_the_server_own_public_address_is_refused():
    policy = WebhookPolicy.parse(["x"], ["443"], [], own={"198.51.100.1", "8.8.4.4"})
    assert not policy.address_allowed("8.8.4.4")
