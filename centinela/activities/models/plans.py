"""The plan-centred core: plan -> programmes -> activities -> evidence, and indicators with targets whose actual
values are computed from the records (see activities.indicators); then the activities' field work: operations
(fumigations, clean-ups, lighting checks: types are data, not code) and information campaigns with their materials
and placements at partner premises."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from centinela.lib.urls import reverse

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class Plan(models.Model):
    class Level(models.TextChoices):
        CANTONAL = "cantonal", _("Cantonal plan")
        PARISH = "parish", _("Parish plan")

    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.CANTONAL)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("part of")
    )
    parish = models.ForeignKey(
        "territory.Parish",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("parish"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    objectives = models.TextField(_("objectives"), blank=True)
    purpose = models.TextField(_("institutional purpose"), blank=True)
    # the accountability report shows both: the slogan on its cover and page footers, the legal basis (the council's
    # own creating ordinance and competences) beside the national laws the report cites by itself
    slogan = models.CharField(_("slogan"), max_length=120, blank=True)
    legal_basis = models.TextField(
        _("legal basis of the council"),
        blank=True,
        help_text=_("The municipal ordinance that creates the council and its competences, as the report cites them."),
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="plan_period_in_order")
        ]

    parish_path = "parish"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("activities:plan_detail", args=[self.pk])

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The plan ends before it starts.")})
        if self.level == self.Level.PARISH and not self.parish_id:
            raise ValidationError({"parish": _("A parish plan needs its parish.")})
        if self.level == self.Level.CANTONAL and (self.parish_id or self.parent_id):
            raise ValidationError({"level": _("A cantonal plan belongs to no parish and to no other plan.")})
        if self.parent_id and self.parent.level != self.Level.CANTONAL:
            raise ValidationError({"parent": _("A parish plan nests under a cantonal plan.")})
        if self.pk and self.starts_on and self.ends_on:
            self._check_contents_fit()
        if self.parent_id and self.starts_on and self.ends_on:
            if self.starts_on < self.parent.starts_on or self.ends_on > self.parent.ends_on:
                raise ValidationError(
                    {"starts_on": _("A nested plan must fit inside the period of the plan it belongs to.")}
                )

    def _check_contents_fit(self):
        """A plan's period cannot shrink past the activities, nested plans and targets it already holds."""
        from django.utils import timezone

        outside = [
            timezone.localtime(at).date()
            for at in Activity.objects.filter(programme__plan=self).values_list("starts_at", flat=True)
        ]
        outside = [d for d in outside if not (self.starts_on <= d <= self.ends_on)]
        children = self.children.exclude(starts_on__gte=self.starts_on, ends_on__lte=self.ends_on).exists()
        if outside or children:
            raise ValidationError(
                {
                    "starts_on": _(
                        "The new period leaves %(n)s activities or nested plans outside the plan; move them first."
                    )
                    % {"n": len(outside) + int(children)}
                }
            )


class Programme(models.Model):
    class Kind(models.TextChoices):
        TRAINING = "training", _("Preventive training")
        SURVEILLANCE = "surveillance", _("Video surveillance")
        OPERATIONS = "operations", _("Field operations")
        CAMPAIGN = "campaign", _("Information campaigns")
        EDUCATION = "education", _("Education")
        AGREEMENT = "agreement", _("Inter-institutional agreement")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="programmes", verbose_name=_("plan"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=14, choices=Kind.choices)
    objective = models.TextField(_("objective"), blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible"),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["plan", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="programme_code_per_plan")]

    parish_path = "plan__parish"

    def __str__(self):
        return f"{self.code} · {self.name}"

    def get_absolute_url(self):
        return reverse("activities:programme_detail", args=[self.pk])


# The metrics an indicator may name: activities.indicators computes them and registers their names here when it is
# imported (the app imports it when ready), so the models never import the module that reads them.
KNOWN_METRICS: set[str] = set()


class Indicator(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("programme")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    metric = models.CharField(
        _("computed from"),
        max_length=40,
        help_text=_("How the actual value is computed from the records (see the list of metrics)."),
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["programme", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="indicator_code_per_programme")]

    parish_path = "programme__plan__parish"

    def __str__(self):
        return f"{self.code} · {self.name}"

    def clean(self):
        if self.metric not in KNOWN_METRICS:
            raise ValidationError({"metric": _("Unknown metric.")})


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    parish = models.ForeignKey(
        "territory.Parish",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("parish"),
        help_text=_("Empty: the whole canton."),
    )
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        ordering = ["indicator", "starts_on", "parish"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="target_period_in_order"
            )
        ]

    parish_path = "parish"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The period ends before it starts.")})


class Activity(models.Model):
    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        OPERATION = "operation", _("Field operation")
        CAMPAIGN = "campaign", _("Information campaign")
        MEETING = "meeting", _("Working-group meeting")
        OTHER = "other", _("Other activity")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="activities", verbose_name=_("programme")
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    parish = models.ForeignKey(
        "territory.Parish",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("parish"),
    )
    barrios = models.ManyToManyField(
        "territory.Barrio", blank=True, related_name="activities", verbose_name=_("barrios")
    )
    place = models.ForeignKey(
        "territory.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("place"),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible"),
    )
    partners = models.ManyToManyField(
        "partners.Institution",
        through="ActivityPartner",
        blank=True,
        related_name="activities",
        verbose_name=_("partners"),
    )
    working_group = models.ForeignKey(
        "WorkingGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("working group"),
    )
    budget_planned = models.DecimalField(_("planned budget (USD)"), default=0, **MONEY)
    budget_executed = models.DecimalField(_("executed budget (USD)"), default=0, **MONEY)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    status_reason = models.CharField(_("reason for the status"), max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["starts_at"]), models.Index(fields=["status", "kind"])]

    parish_path = "parish"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:activity_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The activity ends before it starts.")
        if self.programme_id and self.starts_at:
            plan = self.programme.plan
            from django.utils import timezone

            day = (
                timezone.localtime(self.starts_at).date()
                if timezone.is_aware(self.starts_at)
                else self.starts_at.date()
            )
            if not (plan.starts_on <= day <= plan.ends_on):
                errors["starts_at"] = _("The date is outside the period of the plan (%(start)s to %(end)s).") % {
                    "start": plan.starts_on.strftime("%d/%m/%Y"),
                    "end": plan.ends_on.strftime("%d/%m/%Y"),
                }
        if self.status in (self.Status.POSTPONED, self.Status.CANCELLED) and not self.status_reason:
            errors["status_reason"] = _("Say why the activity was postponed or cancelled.")
        if errors:
            raise ValidationError(errors)


class ActivityPartner(models.Model):
    class Role(models.TextChoices):
        ORGANISER = "organiser", _("Co-organiser")
        SPEAKER = "speaker", _("Speakers")
        DONOR = "donor", _("In-kind donor")
        HOST = "host", _("Host")
        PARTICIPANT = "participant", _("Participant")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="partner_roles", verbose_name=_("activity")
    )
    institution = models.ForeignKey(
        "partners.Institution", on_delete=models.PROTECT, related_name="activity_roles", verbose_name=_("institution")
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.ORGANISER)
    in_kind_value = models.DecimalField(_("in-kind contribution (USD)"), default=0, **MONEY)
    in_kind_description = models.CharField(_("what was contributed"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("activity partner")
        verbose_name_plural = _("activity partners")
        constraints = [models.UniqueConstraint(fields=["activity", "institution", "role"], name="one_role_per_partner")]

    parish_path = "activity__parish"


def evidence_path(instance, filename):
    return f"evidence/{instance.activity_id}/{filename}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        ATTENDANCE = "attendance", _("Signed attendance sheet")
        MINUTES = "minutes", _("Minutes")
        DOCUMENT = "document", _("Document")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("activity")
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=evidence_path)
    content_type = models.CharField(max_length=100, verbose_name=_("file type"))
    size = models.PositiveIntegerField(verbose_name=_("size (bytes)"))
    include_in_report = models.BooleanField(_("show in the yearly report"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["-uploaded_at"]

    parish_path = "activity__parish"

    def __str__(self):
        return self.title


# --- field work: operations and information campaigns with their materials and placements at partner premises ---


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
