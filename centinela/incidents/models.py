"""The incident registry: who reported what, when and where, in Ecuador's crime-statistics taxonomy.
Victims' personal data is never stored here."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Category(models.Model):
    class Group(models.TextChoices):
        DMCS = "dmcs", _("Crimes of major social concern (DMCS)")
        CONTRAVENTION = "contravention", _("Contraventions")
        VIOLENCE = "violence_gender_family", _("Violence against women or within the family")
        ECU911 = "ecu911_service", _("ECU 911 service area")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent category"),
    )
    group = models.CharField(_("group"), max_length=30, choices=Group.choices, default=Group.OTHER)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["group", "name"]
        verbose_name = _("incident category")
        verbose_name_plural = _("incident categories")

    def __str__(self):
        return self.name


class Source(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("incident source")
        verbose_name_plural = _("incident sources")

    def __str__(self):
        return self.name


class ImportProfile(models.Model):
    """How one source's export maps onto incidents: `columns` maps a field (source_ref, occurred_at, reported_at,
    category, lon, lat, address, precision) to the file's column; `category_values` maps the file's category
    values to category codes."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="profiles", verbose_name=_("source"))
    columns = models.JSONField(_("column mapping"), default=dict, blank=True)
    date_format = models.CharField(
        _("date format"),
        max_length=40,
        blank=True,
        help_text=_("strftime format of the date column; empty: ISO dates."),
    )
    category_values = models.JSONField(_("category value mapping"), default=dict, blank=True)
    default_precision = models.CharField(_("default precision"), max_length=10, default="exact")

    class Meta:
        ordering = ["name"]
        verbose_name = _("import profile")
        verbose_name_plural = _("import profiles")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from centinela.lib.urls import reverse

        return reverse("incidents:profile_edit", args=[self.pk])


class Incident(models.Model):
    class Precision(models.TextChoices):
        EXACT = "exact", _("Exact")
        STREET = "street", _("Street")
        BARRIO = "barrio", _("Barrio")
        PARISH = "parish", _("Parish")

    class Status(models.TextChoices):
        REPORTED = "reported", pgettext_lazy("incident status", "Reported")
        VERIFIED = "verified", _("Verified")
        DISCARDED = "discarded", _("Discarded")

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("source"))
    source_ref = models.CharField(_("source reference"), max_length=100, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    # False: the source gave the date only (an imported row with an empty time cell); occurred_at then holds
    # 00:00 of that day, shown as "time unknown" and left out of the hour-of-day figures
    time_known = models.BooleanField(_("time known"), default=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("category")
    )
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    precision = models.CharField(_("precision"), max_length=10, choices=Precision.choices, default=Precision.EXACT)
    parish = models.ForeignKey(
        "territory.Parish",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("parish"),
    )
    barrio = models.ForeignKey(
        "territory.Barrio",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("barrio"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REPORTED)
    # no index of its own: the lookups go with the source and the unique (source, row_hash) index answers them
    row_hash = models.CharField(_("row hash"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    parish_path = "parish"

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_ref"], condition=~Q(source_ref=""), name="incident_unique_source_ref"
            ),
            models.UniqueConstraint(
                fields=["source", "row_hash"],
                condition=Q(source_ref="") & ~Q(row_hash=""),
                name="incident_unique_row_hash",
            ),
        ]

    def __str__(self):
        from django.utils import timezone

        if self.occurred_at is None:
            return str(self.category) if self.category_id else ""
        if not self.time_known:
            return f"{self.category} · {timezone.localtime(self.occurred_at):%Y-%m-%d}"
        return f"{self.category} · {timezone.localtime(self.occurred_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        from centinela.lib.urls import reverse

        return reverse("incidents:incident_detail", args=[self.pk])
