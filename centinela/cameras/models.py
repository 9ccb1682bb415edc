"""The video-surveillance network: sites, systems (an NVR/DVR and its cameras, or a standalone camera), devices
with their lifecycle and live health, probe results, maintenance, footage requests. Field names follow
OpenStreetMap's surveillance tags where they overlap (surveillance:type, camera:type, camera:direction,
camera:angle = tilt, height); see cameras/osm.py for the mapping used by the exports."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from centinela.lib.urls import reverse
from centinela.territory.models import LAT, LON

BEARING_RANGE = _("The bearing must be between 0 and 360 degrees.")
FIELD_OF_VIEW_RANGE = _("The field of view must be above 0 and at most 360 degrees.")
TILT_RANGE = _("The tilt must be between 0 and 90 degrees below the horizontal.")


class Site(models.Model):
    name = models.CharField(_("name"), max_length=160, unique=True)
    place = models.ForeignKey(
        "territory.Place",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="camera_sites",
        verbose_name=_("place"),
    )
    parish = models.ForeignKey(
        "territory.Parish",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="camera_sites",
        verbose_name=_("parish"),
    )
    barrio = models.ForeignKey(
        "territory.Barrio",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="camera_sites",
        verbose_name=_("barrio"),
    )
    lon = models.FloatField(_("longitude"), validators=LON)
    lat = models.FloatField(_("latitude"), validators=LAT)
    address = models.CharField(_("address"), max_length=200, blank=True)
    mounting_height_m = models.DecimalField(
        _("mounting height (m)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("camera site")
        verbose_name_plural = _("camera sites")
        ordering = ["name"]

    parish_path = "parish"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cameras:site_detail", args=[self.pk])


class System(models.Model):
    class Kind(models.TextChoices):
        NVR = "nvr", _("NVR with cameras")
        DVR = "dvr", _("DVR with cameras")
        STANDALONE = "standalone", _("Standalone camera")

    class Owner(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        ECU911 = "ecu911", _("ECU 911")
        PARTNER = "partner", _("Partner")

    class MonitoredBy(models.TextChoices):
        ECU911_ROOM = "ecu911", _("ECU 911 monitoring room")
        MUNICIPAL_ROOM = "municipal", _("Municipal monitoring room")
        NONE = "none", _("Not monitored")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="systems", verbose_name=_("site"))
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.NVR)
    owner = models.CharField(_("owner"), max_length=14, choices=Owner.choices, default=Owner.MUNICIPALITY)
    owner_institution = models.ForeignKey(
        "partners.Institution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner institution"),
    )
    monitored_by = models.CharField(
        _("monitored by"), max_length=10, choices=MonitoredBy.choices, default=MonitoredBy.ECU911_ROOM
    )
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    reactivated_on = models.DateField(_("reactivated on"), null=True, blank=True)
    reactivation = models.ForeignKey(
        "activities.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="camera_systems",
        verbose_name=_("reactivation activity"),
        help_text=_("The video-surveillance programme activity that reactivated it."),
    )

    class Meta:
        verbose_name = _("camera system")
        verbose_name_plural = _("camera systems")
        ordering = ["site__name", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="system_name_per_site")]

    parish_path = "site__parish"

    def __str__(self):
        return f"{self.site} · {self.name}"

    def get_absolute_url(self):
        return reverse("cameras:site_detail", args=[self.site_id])


class Lifecycle(models.TextChoices):
    PLANNED = "planned", _("Planned")
    INSTALLED = "installed", _("Installed")
    OPERATIONAL = "operational", _("Operational")
    OFFLINE = "offline", _("Offline")
    DEGRADED = "degraded", _("Degraded")
    MAINTENANCE = "maintenance", _("Under maintenance")
    ABANDONED = "abandoned", _("Abandoned")
    DECOMMISSIONED = "decommissioned", _("Decommissioned")


# Which lifecycle changes are allowed (from -> to); the monitor moves between operational/offline/degraded itself.
TRANSITIONS = {
    Lifecycle.PLANNED: {Lifecycle.INSTALLED, Lifecycle.DECOMMISSIONED},
    Lifecycle.INSTALLED: {Lifecycle.OPERATIONAL, Lifecycle.OFFLINE, Lifecycle.MAINTENANCE, Lifecycle.DECOMMISSIONED},
    Lifecycle.OPERATIONAL: {Lifecycle.OFFLINE, Lifecycle.DEGRADED, Lifecycle.MAINTENANCE, Lifecycle.DECOMMISSIONED},
    Lifecycle.OFFLINE: {
        Lifecycle.OPERATIONAL,
        Lifecycle.DEGRADED,
        Lifecycle.MAINTENANCE,
        Lifecycle.ABANDONED,
        Lifecycle.DECOMMISSIONED,
    },
    Lifecycle.DEGRADED: {Lifecycle.OPERATIONAL, Lifecycle.OFFLINE, Lifecycle.MAINTENANCE, Lifecycle.DECOMMISSIONED},
    Lifecycle.MAINTENANCE: {Lifecycle.OPERATIONAL, Lifecycle.OFFLINE, Lifecycle.ABANDONED, Lifecycle.DECOMMISSIONED},
    Lifecycle.ABANDONED: {Lifecycle.MAINTENANCE, Lifecycle.OPERATIONAL, Lifecycle.DECOMMISSIONED},
    Lifecycle.DECOMMISSIONED: set(),
}
MONITORED_STATES = {Lifecycle.INSTALLED, Lifecycle.OPERATIONAL, Lifecycle.OFFLINE, Lifecycle.DEGRADED}


class Device(models.Model):
    class CameraType(models.TextChoices):  # OSM camera:type
        FIXED = "fixed", _("Fixed")
        PANNING = "panning", _("PTZ (pan-tilt-zoom)")
        DOME = "dome", _("Dome")

    class Health(models.TextChoices):
        UNKNOWN = "unknown", _("No probe yet")
        ONLINE = "online", _("Online")
        OFFLINE = "offline", _("Offline")
        # it answers, but refuses the stored credentials (or they cannot be decrypted): a person must act
        REJECTED = "rejected", _("Credentials rejected")

    class AuthScheme(models.TextChoices):
        NONE = "", _("Not seen yet")
        BASIC = "basic", "Basic"
        DIGEST = "digest", "Digest"

    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="devices", verbose_name=_("system"))
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    camera_type = models.CharField(_("camera type"), max_length=8, choices=CameraType.choices, default=CameraType.FIXED)
    brand = models.CharField(_("brand"), max_length=80, blank=True)
    model = models.CharField(_("model"), max_length=80, blank=True)
    serial = models.CharField(_("serial number"), max_length=80, blank=True)
    stream_url = models.CharField(_("stream URL (RTSP)"), max_length=300, blank=True)
    snapshot_url = models.CharField(_("snapshot URL (HTTP)"), max_length=300, blank=True)
    onvif_url = models.CharField(_("ONVIF endpoint"), max_length=300, blank=True)
    host = models.CharField(_("host for the TCP check"), max_length=200, blank=True)
    port = models.PositiveIntegerField(_("port"), null=True, blank=True, validators=[MaxValueValidator(65535)])
    username = models.CharField(_("user"), max_length=80, blank=True)
    password_encrypted = models.TextField(blank=True, editable=False, verbose_name=_("encrypted password"))
    # the strongest HTTP/RTSP authentication the camera accepted: once Digest, never Basic again (the monitor refuses
    # a downgrade, which would send the password in clear); reset when its address or credentials change
    auth_scheme = models.CharField(
        _("authentication seen"), max_length=8, choices=AuthScheme.choices, blank=True, default="", editable=False
    )
    bearing = models.DecimalField(
        _("bearing (°)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message=BEARING_RANGE), MaxValueValidator(360, message=BEARING_RANGE)],
        help_text=_("camera:direction, 0-360, clockwise from north"),
    )
    # Not an OSM tag: OSM's camera:angle is the tilt below. Exported as centinela:field_of_view (see osm.py).
    field_of_view = models.DecimalField(
        _("horizontal field of view (°)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0.1"), message=FIELD_OF_VIEW_RANGE),
            MaxValueValidator(360, message=FIELD_OF_VIEW_RANGE),
        ],
        help_text=_("Above 0 and at most 360"),
    )
    tilt = models.DecimalField(
        _("tilt (°)"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message=TILT_RANGE), MaxValueValidator(90, message=TILT_RANGE)],
        help_text=_("camera:angle, degrees below the horizontal: 0 looks straight ahead, 90 straight down"),
    )
    range_m = models.PositiveIntegerField(_("useful range (m)"), null=True, blank=True)
    height_m = models.DecimalField(
        _("height (m)"), max_digits=5, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    lifecycle = models.CharField(
        _("lifecycle status"), max_length=16, choices=Lifecycle.choices, default=Lifecycle.INSTALLED
    )
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    reactivated_on = models.DateField(_("reactivated on"), null=True, blank=True)
    responsible = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("responsible people")
    )
    # --- live health, written by the monitor ---
    probe_interval_s = models.PositiveIntegerField(
        _("probe interval (s)"), default=60, validators=[MinValueValidator(5)]
    )
    health = models.CharField(max_length=8, choices=Health.choices, default=Health.UNKNOWN, verbose_name=_("health"))
    consecutive_failures = models.PositiveIntegerField(default=0, verbose_name=_("consecutive failures"))
    consecutive_successes = models.PositiveIntegerField(default=0, verbose_name=_("consecutive successes"))
    last_probe_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last probe at"))
    # when the monitor first probed it: availability counts only monitored time (before that nobody knew)
    monitored_since = models.DateTimeField(null=True, blank=True, verbose_name=_("monitored since"))
    last_latency_ms = models.FloatField(null=True, blank=True, verbose_name=_("last latency (ms)"))
    last_detail = models.CharField(max_length=300, blank=True, verbose_name=_("last detail"))
    next_probe_at = models.DateTimeField(null=True, blank=True, db_index=True, verbose_name=_("next probe at"))
    claimed_by = models.CharField(max_length=64, blank=True, verbose_name=_("claimed by (monitor)"))
    claimed_until = models.DateTimeField(null=True, blank=True, verbose_name=_("claimed until"))

    class Meta:
        verbose_name = _("camera")
        verbose_name_plural = _("cameras")
        ordering = ["code"]

    parish_path = "system__site__parish"

    def __str__(self):
        return f"{self.code} · {self.name}"

    def get_absolute_url(self):
        return reverse("cameras:device_detail", args=[self.pk])

    @property
    def monitored(self) -> bool:
        return self.lifecycle in MONITORED_STATES

    def clean(self):
        if self.stream_url and not self.stream_url.lower().startswith(("rtsp://", "rtsps://")):
            raise ValidationError({"stream_url": _("A stream URL starts with rtsp://")})
        for field in ("snapshot_url", "onvif_url"):
            value = getattr(self, field)
            if value and not value.lower().startswith(("http://", "https://")):
                raise ValidationError({field: _("An HTTP address starts with http:// or https://")})
        for field in ("stream_url", "snapshot_url", "onvif_url"):
            if credentials_in_url(getattr(self, field)):
                raise ValidationError({field: CREDENTIALS_IN_URL})


CREDENTIALS_IN_URL = _("Write the user and the password in their own fields, not in the address.")


def credentials_in_url(url: str) -> bool:
    """Whether an address carries a user or password (scheme://user:pass@host/...): its authority has an "@"."""
    if not url or "://" not in url:
        return False
    authority = url.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return "@" in authority


class StatusChange(models.Model):
    device = models.ForeignKey(
        Device, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("camera")
    )
    at = models.DateTimeField(db_index=True, verbose_name=_("at"))
    from_status = models.CharField(max_length=16, choices=Lifecycle.choices, verbose_name=_("status before"))
    to_status = models.CharField(max_length=16, choices=Lifecycle.choices, verbose_name=_("status after"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]

    parish_path = "device__system__site__parish"


class ProbeResult(models.Model):
    class Kind(models.TextChoices):
        RTSP = "rtsp", "RTSP"
        HTTP = "http", _("HTTP snapshot")
        ONVIF = "onvif", "ONVIF"
        TCP = "tcp", "TCP"

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="probes", verbose_name=_("camera"))
    at = models.DateTimeField(db_index=True, verbose_name=_("at"))
    kind = models.CharField(max_length=5, choices=Kind.choices, verbose_name=_("probe"))
    ok = models.BooleanField(verbose_name=_("answered"))
    latency_ms = models.FloatField(null=True, blank=True, verbose_name=_("latency (ms)"))
    detail = models.CharField(max_length=300, blank=True, verbose_name=_("detail"))

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["device", "at"])]

    parish_path = "device__system__site__parish"


class Outage(models.Model):
    """A period offline, from the monitor's transition to offline until it came back (open while ended_at is null)."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="outages", verbose_name=_("camera"))
    started_at = models.DateTimeField(db_index=True, verbose_name=_("started at"))
    ended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ended at"))
    reason = models.CharField(max_length=300, blank=True, verbose_name=_("reason"))

    class Meta:
        ordering = ["-started_at"]

    parish_path = "device__system__site__parish"


class MaintenanceTicket(models.Model):
    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported")
        DETECTED = "detected", _("Detected by the monitor")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("camera"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REPORTED)
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    outage = models.ForeignKey(
        Outage, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets", verbose_name=_("outage")
    )
    description = models.TextField(_("description"), blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    cause = models.CharField(_("cause"), max_length=250, blank=True)
    parts = models.CharField(_("parts replaced"), max_length=250, blank=True)
    cost = models.DecimalField(
        _("cost (USD)"), max_digits=10, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("maintenance ticket")
        verbose_name_plural = _("maintenance tickets")
        ordering = ["-opened_at"]

    parish_path = "device__system__site__parish"

    def __str__(self):
        return f"#{self.pk} {self.device.code}"

    def get_absolute_url(self):
        return reverse("cameras:ticket_detail", args=[self.pk])


class MaintenanceSchedule(models.Model):
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="schedules", verbose_name=_("camera"))
    task = models.CharField(_("task"), max_length=200)
    every_days = models.PositiveIntegerField(_("every (days)"), validators=[MinValueValidator(1)])
    next_due = models.DateField(_("next due"))

    class Meta:
        verbose_name = _("preventive maintenance")
        verbose_name_plural = _("preventive maintenance")
        ordering = ["next_due"]

    parish_path = "device__system__site__parish"


class FootageRequest(models.Model):
    """A request for recorded footage from Policía or Fiscalía (Centinela itself records no video)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        NOT_AVAILABLE = "not_available", _("Not available")
        REFUSED = "refused", _("Refused")

    devices = models.ManyToManyField(Device, related_name="footage_requests", verbose_name=_("cameras"))
    institution = models.ForeignKey(
        "partners.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("requesting institution")
    )
    requester = models.CharField(_("requested by"), max_length=160)
    requested_at = models.DateTimeField(_("requested at"))
    incident = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="footage_requests",
        verbose_name=_("incident"),
        help_text=_("The incident in the registry, when it is there."),
    )
    incident_reference = models.CharField(_("incident reference"), max_length=120, blank=True)
    period_start = models.DateTimeField(_("footage from"))
    period_end = models.DateTimeField(_("footage to"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices, default=Outcome.PENDING)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("footage request")
        verbose_name_plural = _("footage requests")
        ordering = ["-requested_at"]

    parish_path = None  # council business with the justice system

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period ends before it starts.")})


class Sighting(models.Model):
    """An incident that happened in a camera's view: linked automatically when the incident's point lies in the
    camera's view sector (services.link_incidents), or by hand by the council's staff. `camera_working` says whether
    the camera was working at the incident's time (the rule: services.working_at), so the share of incidents seen by
    a working camera can be told apart from those that merely happened where a camera stands."""

    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="sightings", verbose_name=_("incident")
    )
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="sightings", verbose_name=_("camera"))
    automatic = models.BooleanField(_("linked automatically"), default=True)
    camera_working = models.BooleanField(_("camera working at the time"), default=False)
    distance_m = models.FloatField(_("distance (m)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked by"),
    )
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("incident seen by a camera")
        verbose_name_plural = _("incidents seen by cameras")
        ordering = ["device__code"]
        constraints = [models.UniqueConstraint(fields=["incident", "device"], name="sighting_unique_pair")]
        indexes = [models.Index(fields=["device", "camera_working"])]

    parish_path = "incident__parish"

    def __str__(self):
        return f"{self.device.code} · {self.incident}"

    @property
    def footage_requests(self):
        """The footage requests for this incident that asked this camera."""
        return FootageRequest.objects.filter(incident_id=self.incident_id, devices=self.device_id).select_related(
            "institution"
        )


class AlertRecipient(models.Model):
    """Who is told when a camera goes offline: a user by e-mail or a webhook (chat tools), for the whole network
    or one system."""

    system = models.ForeignKey(
        System,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alert_recipients",
        verbose_name=_("system"),
        help_text=_("Empty: every system."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user (e-mail)"),
    )
    webhook_url = models.URLField(_("webhook URL"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("alert recipient")
        verbose_name_plural = _("alert recipients")

    parish_path = None

    def clean(self):
        if not self.user_id and not self.webhook_url:
            raise ValidationError(_("Choose a user or give a webhook URL."))
        if self.webhook_url:
            from centinela.cameras.netpolicy import NotAllowed
            from centinela.cameras.webhooks import WebhookPolicy

            policy = WebhookPolicy.parse(settings.ALERT_WEBHOOK_HOSTS, settings.ALERT_WEBHOOK_PORTS, [], own=set())
            try:
                policy.target(self.webhook_url)
            except NotAllowed as exc:
                if exc.code == "webhook_host_not_allowed":
                    message = _(
                        "The server does not send webhooks to %(host)s: the server's administrator allows "
                        "hosts in ALERT_WEBHOOK_HOSTS."
                    ) % {"host": exc.params["host"]}
                elif exc.code == "port_not_allowed":
                    message = _(
                        "The server does not send webhooks to port %(port)s: the server's administrator "
                        "allows ports in ALERT_WEBHOOK_PORTS."
                    ) % {"port": exc.params["port"]}
                else:
                    message = _("A webhook URL starts with https:// or http:// and carries no user or password.")
                raise ValidationError({"webhook_url": message}) from None


class Alert(models.Model):
    """A notification sent (or failed) about a device, kept so none is sent twice and failures are retried."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("camera"))
    event = models.CharField(max_length=10, verbose_name=_("event"))  # offline | online
    channel = models.CharField(max_length=300, verbose_name=_("channel"))  # e-mail address or webhook URL
    created_at = models.DateTimeField(verbose_name=_("created at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    error = models.CharField(max_length=300, blank=True, verbose_name=_("error"))

    class Meta:
        ordering = ["-created_at"]

    parish_path = None
