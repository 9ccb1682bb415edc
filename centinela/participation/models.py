"""Citizen reports (issue 12): the taxonomy the council edits, the reports residents file without an account, their
photos, and the updates that make the feedback loop (public ones the reporter reads, internal notes staff keep)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from centinela.lib.urls import reverse

DESCRIPTION_MAX = 2000  # characters: a report, not a letter
MAX_PHOTOS = 3


class ReportCategory(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, help_text=_("Shown to residents under the name."))
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("Drugs, violence: never shown as points in public, counted per barrio only."),
    )
    days_to_resolve = models.PositiveSmallIntegerField(
        _("time limit (days)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("report category")
        verbose_name_plural = _("report categories")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class RoutingRule(models.Model):
    """Who acts on a category of report, in a parish or anywhere (parish empty), as the council decides. When a
    report is filed the most specific active rule (its parish first, then any parish) proposes the institution:
    the report is assigned to it at once (its liaisons read it) and stays "received" until staff confirm it in
    triage, which moves it to "assigned" with a public update."""

    category = models.ForeignKey(
        ReportCategory, on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("category")
    )
    parish = models.ForeignKey(
        "territory.Parish",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_routing_rules",
        verbose_name=_("parish"),
        help_text=_("Empty: every parish without a rule of its own."),
    )
    institution = models.ForeignKey(
        "partners.Institution",
        on_delete=models.CASCADE,
        related_name="report_routing_rules",
        verbose_name=_("institution"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["category__order", "category__name", "parish__name"]
        constraints = [
            models.UniqueConstraint(fields=["category", "parish"], name="routing_rule_per_parish"),
            models.UniqueConstraint(
                fields=["category"], condition=models.Q(parish=None), name="routing_rule_any_parish"
            ),
        ]

    def __str__(self):
        where = self.parish.name if self.parish_id else _("any parish")
        return f"{self.category} · {where} → {self.institution}"


NOTIFY_CHOICES = [
    ("email", _("E-mail")),
    ("sms", _("SMS")),
    ("whatsapp", _("WhatsApp")),
]


class Open311Client(models.Model):
    """An outside application that files reports through the Open311 GeoReport v2 API (`participation/api.py`),
    with the API key an administrator issued to it. Only the key's hash is stored: the key is shown once, when
    created (Django admin, or `manage.py open311_key create NAME`). Deactivated, never deleted: reports keep
    pointing at the client that filed them."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("key hash"))
    prefix = models.CharField(_("key prefix"), max_length=8, editable=False)
    active = models.BooleanField(_("active"), default=True)
    hourly_limit = models.PositiveIntegerField(
        _("reports per hour"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Per key and address. Empty: the limit of the public report page."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def new_key(self) -> str:
        """A fresh key for this client (the old one stops working once saved); returned once, never stored."""
        key = secrets.token_urlsafe(32)
        self.key_hash, self.prefix = self.hash(key), key[:8]
        return key


class Report(models.Model):
    CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")  # personal data (LOPDP), masked in the trail

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("report status", "Received")
        IN_REVIEW = "in_review", pgettext_lazy("report status", "In review")
        ASSIGNED = "assigned", pgettext_lazy("report status", "Assigned")
        IN_PROGRESS = "in_progress", pgettext_lazy("report status", "In progress")
        RESOLVED = "resolved", pgettext_lazy("report status", "Resolved")
        NOT_APPLICABLE = "not_applicable", pgettext_lazy("report status", "Not applicable")
        DUPLICATE = "duplicate", pgettext_lazy("report status", "Duplicate")

    # The human code is read over the phone ("R-7KM3QX"); the token opens the private tracking link and is the only
    # way in for the reporter, so it is long and random.
    code = models.CharField(_("code"), max_length=12, unique=True)
    token = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("tracking code"))
    category = models.ForeignKey(
        ReportCategory, on_delete=models.PROTECT, related_name="reports", verbose_name=_("category")
    )
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    parish = models.ForeignKey(
        "territory.Parish",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="citizen_reports",
        verbose_name=_("parish"),
    )
    barrio = models.ForeignKey(
        "territory.Barrio",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="citizen_reports",
        verbose_name=_("barrio"),
    )
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX)  # the reporter's words, kept
    public_text = models.TextField(
        _("public text"), blank=True, help_text=_("What the reporter and the public read; moderation may edit it.")
    )
    # Personal data (LOPDP), only with consent: shown only to those who may see it
    # (accounts.permissions.can_see_personal_data). All empty and no consent: an anonymous report.
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_consent = models.BooleanField(_("consent to the use of contact data"), default=False)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    assigned_institution = models.ForeignKey(
        "partners.Institution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="citizen_reports",
        verbose_name=_("assigned institution"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="citizen_reports",
        verbose_name=_("assigned person"),
    )
    # Moderation: a report reaches the public map, list and open data only once staff have read it (and its public
    # text) and published it; duplicates never do (their kept report does). Sensitive categories are published as
    # counts per barrio only, whatever this flag says of the report.
    published = models.BooleanField(_("published"), default=False)
    # Set when the reporter's words seem to carry a cédula or a phone number (participation.limits): the report
    # cannot be published while its public text still does.
    flagged = models.BooleanField(_("flagged for moderation"), default=False)
    # A merged report (status duplicate) points at the report kept for the same problem; its reporter is told of the
    # kept report's public updates.
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    # How the reporter wants to hear of public changes: e-mail always works when they left one; SMS and WhatsApp
    # only where the council configured a channel (participation.channels), else e-mail stands in.
    notify_by = models.CharField(_("notify me by"), max_length=12, choices=NOTIFY_CHOICES, default="email", blank=True)
    # The reporter's rating of how it was resolved, once the report is closed (1 poor .. 5 very good).
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField(_("comment on the resolution"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    # Set by the retention command (manage.py anonymise_reports): the contact data of a report closed long ago are
    # erased (LOPDP: kept no longer than needed); the report itself stays for the statistics.
    anonymised_at = models.DateTimeField(_("contact data erased at"), null=True, blank=True)
    # The outside application that filed it through Open311, if any: that client may read it back by its code
    # before it is published.
    open311_client = models.ForeignKey(
        Open311Client,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="reports",
        verbose_name=_("Open311 client"),
    )
    # Ties to the rest of Centinela (issue 12 item 6). A "cámara dañada" report names the camera (the reporter
    # types the code on its pole, or staff choose it in triage) and the maintenance ticket opened or found for it;
    # the cameras app reads them back through the reverse relations (Device.citizen_reports,
    # MaintenanceTicket.citizen_reports) without importing this app.
    camera = models.ForeignKey(
        "cameras.Device",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="citizen_reports",
        verbose_name=_("camera"),
    )
    ticket = models.ForeignKey(
        "cameras.MaintenanceTicket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="citizen_reports",
        verbose_name=_("maintenance ticket"),
    )
    # The council's activities that answered the report (a training in the barrio that asked for it); the activity's
    # page lists them through Activity.answered_reports.
    answered_by = models.ManyToManyField(
        "activities.Activity", blank=True, related_name="answered_reports", verbose_name=_("answered by")
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    parish_path = "parish"

    class Meta:
        verbose_name = _("citizen report")
        verbose_name_plural = _("citizen reports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["published", "-created_at"], name="report_published_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact_consent=True)
                | (models.Q(contact_name="") & models.Q(contact_phone="") & models.Q(contact_email="")),
                name="report_contact_needs_consent",
            )
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("participation:report_detail", args=[self.pk])

    def tracking_path(self) -> str:
        return reverse("participation:track", args=[self.token])

    @property
    def anonymous(self) -> bool:
        return not (self.contact_name or self.contact_phone or self.contact_email)

    @property
    def closed(self) -> bool:
        return self.status in CLOSED

    @property
    def due_on(self) -> date:
        """The category's time limit counted from the day it was received (local time)."""
        return timezone.localtime(self.created_at).date() + timedelta(days=self.category.days_to_resolve)

    @property
    def overdue(self) -> bool:
        return not self.closed and timezone.localdate() > self.due_on


OPEN = {
    Report.Status.RECEIVED,
    Report.Status.IN_REVIEW,
    Report.Status.ASSIGNED,
    Report.Status.IN_PROGRESS,
}
CLOSED = {Report.Status.RESOLVED, Report.Status.NOT_APPLICABLE, Report.Status.DUPLICATE}


def photo_path(instance, filename):
    return f"participation/{instance.report_id}/{filename}"


class ReportPhoto(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos", verbose_name=_("report"))
    file = models.FileField(_("file"), upload_to=photo_path)
    content_type = models.CharField(max_length=100, verbose_name=_("file type"))
    size = models.PositiveIntegerField(verbose_name=_("size (bytes)"))
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    parish_path = "report__parish"

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
        ordering = ["id"]

    def __str__(self):
        return self.file.name.rsplit("/", 1)[-1]


class ReportUpdate(models.Model):
    """One step of a report's history: a public update (the reporter reads it, and is e-mailed) or an internal note,
    with the status change it made, if any. Written by staff, or by the reporter (author empty, `by_reporter`)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="updates", verbose_name=_("report"))
    public = models.BooleanField(_("public"), default=True)
    text = models.TextField(_("text"), blank=True, max_length=DESCRIPTION_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    by_reporter = models.BooleanField(_("by the reporter"), default=False)
    # Staff may ask the reporter something (a public update that is a question); the reporter's answer points at it.
    question = models.BooleanField(_("question to the reporter"), default=False)
    answers = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies", verbose_name=_("answers")
    )
    status_from = models.CharField(_("status before"), max_length=16, choices=Report.Status.choices, blank=True)
    status_to = models.CharField(_("status after"), max_length=16, choices=Report.Status.choices, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    parish_path = "report__parish"

    class Meta:
        verbose_name = _("report update")
        verbose_name_plural = _("report updates")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.report.code} · {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def changed_status(self) -> bool:
        return bool(self.status_to) and self.status_to != self.status_from


# The barrio committees' models live in their area's module; imported here so Django registers them with the app.
from centinela.participation.committees.models import (  # noqa: E402
    AgreementFollowUp,
    Committee,
    CommitteeAgreement,
    CommitteeMeeting,
    CommitteeMember,
)

__all__ = [
    "ReportCategory",
    "RoutingRule",
    "Report",
    "ReportPhoto",
    "ReportUpdate",
    "OPEN",
    "CLOSED",
    "DESCRIPTION_MAX",
    "MAX_PHOTOS",
    "photo_path",
    "Committee",
    "CommitteeMember",
    "CommitteeMeeting",
    "CommitteeAgreement",
    "AgreementFollowUp",
]
