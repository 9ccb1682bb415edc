"""What the reports app keeps: the versions of each year's accountability report (a draft, then the director's
approved version, frozen with its figures, its PDF and the PDF's SHA-256), and the data sets loaded into this install
that are not the council's records (the demo, synthetic incidents), so no official report passes them off as real."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    year = models.PositiveIntegerField(_("year"))
    number = models.PositiveIntegerField(_("version"))  # 1, 2, ... per year
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    figures = models.JSONField(_("figures"), default=dict)  # the report's content as read when it was built
    file = models.FileField(_("file"), upload_to="reports/versions/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    demo_data = models.TextField(_("demo data included"), blank=True)  # names of the demo data sets it includes
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approver_name = models.CharField(_("signed by"), max_length=200, blank=True)  # as printed on the signature
    approver_role = models.CharField(_("signatory's role"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="report_version_number_per_year")]

    parish_path = None  # the whole canton's report: not a parish record

    def __str__(self):
        return _("Report %(year)s, version %(n)s") % {"year": self.year, "n": self.number}

    @property
    def approved(self) -> bool:
        return self.status == self.Status.APPROVED

    # The invariant, whatever saves it (service, admin, shell): an approved version is never changed nor deleted.
    def save(self, *args, **kwargs):
        if self.pk and type(self).objects.filter(pk=self.pk, status=self.Status.APPROVED).exists():
            raise ValidationError(_("An approved version of the report cannot be changed; generate a new draft."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.approved or type(self).objects.filter(pk=self.pk, status=self.Status.APPROVED).exists():
            raise ValidationError(_("An approved version of the report cannot be deleted."))
        return super().delete(*args, **kwargs)


class DemoDataset(models.Model):
    """A data set that is not the council's records, and the years it fills: set by `load_demo`."""

    class Origin(models.TextChoices):
        DEMO = "demo", _("Demonstration data")
        SYNTHETIC = "synthetic", _("Synthetic data")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.DEMO)
    first_year = models.PositiveIntegerField(_("first year"))
    last_year = models.PositiveIntegerField(_("last year"), null=True, blank=True)  # none: every later year too
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("demo data set")
        verbose_name_plural = _("demo data sets")
        ordering = ["code"]

    parish_path = None

    def __str__(self):
        return self.name

    def covers(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)
