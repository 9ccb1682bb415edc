"""Governance: programme working groups and the council's own sessions, with resolutions followed to the end."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centinela.lib.urls import reverse


class WorkingGroup(models.Model):
    programme = models.ForeignKey(
        "activities.Programme", on_delete=models.CASCADE, related_name="working_groups", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    formed_on = models.DateField(_("formed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["name"]

    parish_path = "programme__plan__parish"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("activities:working_group_detail", args=[self.pk])


class WorkingGroupMember(models.Model):
    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("working group")
    )
    institution = models.ForeignKey(
        "partners.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    representative = models.CharField(_("representative"), max_length=160, blank=True)
    role = models.CharField(_("role in the group"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("working-group member")
        verbose_name_plural = _("working-group members")
        constraints = [models.UniqueConstraint(fields=["group", "institution"], name="one_membership_per_institution")]

    parish_path = "group__programme__plan__parish"


class CouncilSession(models.Model):
    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary")
        EXTRAORDINARY = "extraordinary", _("Extraordinary")

    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("type"), max_length=14, choices=Kind.choices, default=Kind.ORDINARY)
    held_at = models.DateTimeField(_("held at"))
    place = models.ForeignKey(
        "territory.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("place")
    )
    agenda = models.TextField(_("agenda"))
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        verbose_name = _("council session")
        verbose_name_plural = _("council sessions")
        ordering = ["-held_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="session_number_per_kind")]

    parish_path = None  # the council's own business: not a parish record

    def __str__(self):
        return f"{self.get_kind_display()} N.º {self.number}"

    def get_absolute_url(self):
        return reverse("activities:session_detail", args=[self.pk])


class SessionAttendance(models.Model):
    session = models.ForeignKey(
        CouncilSession, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("session")
    )
    institution = models.ForeignKey(
        "partners.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    representative = models.CharField(_("representative"), max_length=160, blank=True)
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        verbose_name = _("session attendance")
        constraints = [models.UniqueConstraint(fields=["session", "institution"], name="one_seat_per_institution")]

    parish_path = None


class Resolution(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(
        CouncilSession, on_delete=models.CASCADE, related_name="resolutions", verbose_name=_("session")
    )
    number = models.CharField(_("number"), max_length=20)
    text = models.TextField(_("resolution"))
    owner_institution = models.ForeignKey(
        "partners.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible institution"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["due_on", "number"]
        constraints = [models.UniqueConstraint(fields=["session", "number"], name="resolution_number_per_session")]

    parish_path = None

    def __str__(self):
        return f"{self.number}: {self.text[:60]}"

    def get_absolute_url(self):
        return reverse("activities:session_detail", args=[self.session_id]) + f"#resolucion-{self.pk}"

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status in (self.Status.PENDING, self.Status.IN_PROGRESS)
            and self.due_on is not None
            and self.due_on < today
        )
