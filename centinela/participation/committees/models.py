"""What a barrio security committee is: the committee in its barrio, its members (cédula, phone and e-mail are
personal data: shown only to those who may see it), its meetings with the members present, and the agreements of
each meeting with their follow-up. Every record finds its parish through the barrio (`parish_path`)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from centinela.activities.cedula import validate_cedula
from centinela.lib.urls import reverse

PHONE = RegexValidator(r"^\+?[0-9 ()-]{7,20}$", _("Write a phone number with digits only (7 to 20)."))
TEXT_MAX = 4000  # minutes and notes: a page or two, not a book


class Committee(models.Model):
    barrio = models.ForeignKey(
        "territory.Barrio", on_delete=models.PROTECT, related_name="committees", verbose_name=_("barrio")
    )
    name = models.CharField(_("name"), max_length=160)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True, help_text=_("A committee that stopped meeting is kept."))
    notes = models.TextField(_("notes"), blank=True, max_length=TEXT_MAX)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    parish_path = "barrio__parish"

    class Meta:
        verbose_name = _("barrio committee")
        verbose_name_plural = _("barrio committees")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["barrio", "name"], name="committee_name_per_barrio")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("participation:committee_detail", args=[self.pk])

    def clean(self):
        if self.founded_on and self.founded_on > timezone.localdate():
            raise ValidationError({"founded_on": _("The founding date cannot be in the future.")})


class CommitteeMember(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", pgettext_lazy("committee role", "Coordinator")
        SECRETARY = "secretary", pgettext_lazy("committee role", "Secretary")
        TREASURER = "treasurer", pgettext_lazy("committee role", "Treasurer")
        SPOKESPERSON = "spokesperson", pgettext_lazy("committee role", "Board member")
        MEMBER = "member", pgettext_lazy("committee role", "Member")

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="members", verbose_name=_("committee")
    )
    name = models.CharField(_("full name"), max_length=160)
    role = models.CharField(_("role in the committee"), max_length=14, choices=Role.choices, default=Role.MEMBER)
    # Personal data (LOPDP): shown only to those who may see it (accounts.permissions.can_see_personal_data), masked
    # in the audit trail.
    cedula = models.CharField(_("cédula"), max_length=10, blank=True, validators=[validate_cedula])
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[PHONE])
    email = models.EmailField(_("e-mail"), blank=True)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    parish_path = "committee__barrio__parish"
    PERSONAL = ("cedula", "phone", "email")

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.committee.get_absolute_url() + f"#miembro-{self.pk}"

    def member_on(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on >= day)

    @property
    def current(self) -> bool:
        return self.left_on is None or self.left_on >= timezone.localdate()

    def clean(self):
        errors = {}
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            errors["left_on"] = _("The member left before joining.")
        if self.joined_on and self.joined_on > timezone.localdate():
            errors["joined_on"] = _("The date of joining cannot be in the future.")
        if errors:
            raise ValidationError(errors)


class CommitteeMeeting(models.Model):
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("committee")
    )
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    topics = models.TextField(_("topics"), blank=True, max_length=TEXT_MAX)
    minutes = models.TextField(_("minutes"), blank=True, max_length=TEXT_MAX)
    present = models.ManyToManyField(
        CommitteeMember, blank=True, related_name="meetings_attended", verbose_name=_("members present")
    )
    guests = models.PositiveSmallIntegerField(
        _("guests"), default=0, validators=[MaxValueValidator(5000)], help_text=_("Residents and guests who came.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    parish_path = "committee__barrio__parish"

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["-held_on", "-starts_at", "-id"]

    def __str__(self):
        return f"{self.committee} · {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return self.committee.get_absolute_url() + f"#reunion-{self.pk}"


class CommitteeAgreement(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("agreement status", "Pending")
        IN_PROGRESS = "in_progress", pgettext_lazy("agreement status", "In progress")
        DONE = "done", pgettext_lazy("agreement status", "Fulfilled")
        NOT_DONE = "not_done", pgettext_lazy("agreement status", "Not fulfilled")

    meeting = models.ForeignKey(
        CommitteeMeeting, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("meeting")
    )
    text = models.TextField(pgettext_lazy("committee", "agreement"), max_length=1000)
    responsible = models.CharField(_("responsible"), max_length=160, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    parish_path = "meeting__committee__barrio__parish"

    class Meta:
        verbose_name = _("committee agreement")
        verbose_name_plural = _("committee agreements")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return self.meeting.committee.get_absolute_url() + f"#acuerdo-{self.pk}"

    @property
    def open(self) -> bool:
        return self.status in OPEN_AGREEMENT

    def is_overdue(self, today: date | None = None) -> bool:
        return self.open and self.due_on is not None and self.due_on < (today or timezone.localdate())


OPEN_AGREEMENT = {CommitteeAgreement.Status.PENDING, CommitteeAgreement.Status.IN_PROGRESS}


class AgreementFollowUp(models.Model):
    """One step of an agreement's follow-up: what was done by a day, and the status it left the agreement in."""

    agreement = models.ForeignKey(
        CommitteeAgreement,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("agreement of the committee"),
    )
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), max_length=2000)
    status_from = models.CharField(_("status before"), max_length=12, choices=CommitteeAgreement.Status.choices)
    status_to = models.CharField(_("status after"), max_length=12, choices=CommitteeAgreement.Status.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    parish_path = "agreement__meeting__committee__barrio__parish"

    class Meta:
        verbose_name = _("agreement follow-up")
        verbose_name_plural = _("agreement follow-ups")
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.on:%d/%m/%Y} · {self.note[:60]}"

    def get_absolute_url(self):
        return self.agreement.get_absolute_url()
