"""Institutions, their contact people, and agreements with each side's obligations."""

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centinela.lib.urls import reverse


class Institution(models.Model):
    class Kind(models.TextChoices):
        PUBLIC = "public", _("Public")
        PRIVATE = "private", _("Private company")
        FINANCIAL = "financial", _("Financial")
        COMMUNITY = "community", _("Community organisation")
        INTERNATIONAL = "international", _("International")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    is_council_member = models.BooleanField(
        _("council member"), default=False, help_text=_("Sits on the Cantonal Citizen Security Council.")
    )
    place = models.ForeignKey(
        "territory.Place",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="institutions",
        verbose_name=_("main premises"),
    )
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("partners:institution_detail", args=[self.pk])


class ContactPerson(models.Model):
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("institution")
    )
    name = models.CharField(_("name"), max_length=160)
    position = models.CharField(_("position"), max_length=160, blank=True)
    # Personal data (LOPDP): shown only to those who need it (see accounts.permissions.can_see_personal_data).
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Agreement(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=250)
    counterpart = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("counterpart")
    )
    purpose = models.TextField(_("object"))
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Empty: no end date."))
    warn_days = models.PositiveSmallIntegerField(_("warn days before expiry"), default=60)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("signed_on")),
                name="agreement_ends_after_signature",
            )
        ]

    def __str__(self):
        return f"{self.code} · {self.title}"

    def get_absolute_url(self):
        return reverse("partners:agreement_detail", args=[self.pk])

    def status(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if self.signed_on > today:
            return "pending"
        if self.valid_until is None:
            return "in_force"
        if self.valid_until < today:
            return "expired"
        if (self.valid_until - today).days <= self.warn_days:
            return "expiring"
        return "in_force"


class Obligation(models.Model):
    class Party(models.TextChoices):
        COUNCIL = "council", _("The council")
        COUNTERPART = "counterpart", _("The counterpart")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="obligations", verbose_name=_("agreement")
    )
    party = models.CharField(_("party"), max_length=12, choices=Party.choices)
    description = models.TextField(_("description"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    activities = models.ManyToManyField(
        "activities.Activity", blank=True, related_name="obligations", verbose_name=_("activities that fulfil it")
    )

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["agreement", "party", "id"]

    def __str__(self):
        return self.description[:80]


class AgreementWarning(models.Model):
    """An expiry warning already e-mailed, one per agreement, end date and threshold: a daily run never repeats
    one, and a renewed agreement (a new end date) is warned about again."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="warnings", verbose_name=_("agreement")
    )
    valid_until = models.DateField(_("valid until"))
    threshold_days = models.PositiveSmallIntegerField(_("days before expiry"))
    recipients = models.TextField(_("sent to"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expiry warning")
        verbose_name_plural = _("expiry warnings")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "valid_until", "threshold_days"], name="one_warning_per_threshold"
            )
        ]

    def __str__(self):
        return f"{self.agreement.code} · {self.threshold_days}"


# The activities' models this app reads (an institution's contributions, the activities that fulfil an obligation),
# reached through this app's own relations: partners sits below activities and imports none of its code.
def activity_model():
    """activities.Activity, through Obligation.activities."""
    return Obligation._meta.get_field("activities").related_model


def contribution_model():
    """activities.ActivityPartner (an institution's role and in-kind contribution in an activity), through the
    reverse relation Institution.activity_roles."""
    return Institution._meta.get_field("activity_roles").related_model
