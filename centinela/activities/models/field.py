"""Field work: operations (fumigations, clean-ups, lighting checks: types are data, not code) and information
campaigns with their materials and placements at partner premises."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class OperationType(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    default_product = models.CharField(_("usual product"), max_length=160, blank=True)

    class Meta:
        verbose_name = _("operation type")
        verbose_name_plural = _("operation types")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Operation(models.Model):
    class Stage(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SCHEDULED = "scheduled", _("Scheduled")
        DONE = "done", _("Done")

    activity = models.OneToOneField(
        "activities.Activity", on_delete=models.CASCADE, related_name="operation", verbose_name=_("activity")
    )
    operation_type = models.ForeignKey(OperationType, on_delete=models.PROTECT, verbose_name=_("operation type"))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.REQUESTED)
    requested_on = models.DateField(_("requested on"), null=True, blank=True)
    requested_by = models.CharField(_("requested by"), max_length=200, blank=True)
    product = models.CharField(_("product"), max_length=160, blank=True)
    dose = models.CharField(_("dose"), max_length=120, blank=True)
    area_m2 = models.DecimalField(
        _("area treated (m²)"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("operation")
        verbose_name_plural = _("operations")

    parish_path = "activity__parish"

    def __str__(self):
        return f"{self.operation_type} · {self.activity}"


class Campaign(models.Model):
    class Theme(models.TextChoices):
        SECURITY = "security", _("Citizen-security norms")
        SANITARY = "sanitary", _("Sanitary norms")
        BOTH = "both", _("Citizen-security and sanitary norms")
        OTHER = "other", _("Other")

    activity = models.OneToOneField(
        "activities.Activity", on_delete=models.CASCADE, related_name="campaign", verbose_name=_("activity")
    )
    theme = models.CharField(_("theme"), max_length=10, choices=Theme.choices)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    parish_path = "activity__parish"

    def __str__(self):
        return str(self.activity)


class Material(models.Model):
    class Kind(models.TextChoices):
        BANNER = "banner", _("Banner")
        POSTER = "poster", _("Poster")
        FLYER = "flyer", _("Flyer")
        DIGITAL = "digital", _("Digital piece")
        OTHER = "other", _("Other")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="materials", verbose_name=_("campaign")
    )
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity produced"))

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    parish_path = "campaign__activity__parish"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description}"


class Placement(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="placements", verbose_name=_("campaign")
    )
    material = models.ForeignKey(
        Material, on_delete=models.PROTECT, related_name="placements", verbose_name=_("material")
    )
    place = models.ForeignKey(
        "territory.Place", on_delete=models.PROTECT, related_name="placements", verbose_name=_("place")
    )
    partner = models.ForeignKey(
        "partners.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("partner"),
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    installed_on = models.DateField(_("installed on"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    photo = models.ForeignKey(
        "activities.Evidence",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["installed_on"]

    parish_path = "place__parish"

    def clean(self):
        if self.installed_on and self.removed_on and self.removed_on < self.installed_on:
            raise ValidationError({"removed_on": _("Removed before it was installed.")})
        if self.material_id and self.campaign_id and self.material.campaign_id != self.campaign_id:
            raise ValidationError({"material": _("The material belongs to another campaign.")})
