"""What the territory is: a canton, its parishes (urban and rural) and barrios as areas, and named places as points.

Geometries are WGS84 (lon, lat). An area drawn by Centinela itself (before official boundaries are imported) says
so in `geometry_source`, and the interface marks it as approximate.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from centinela.lib.urls import reverse
from centinela.territory.fields import GeometryField

LON = [MinValueValidator(-180), MaxValueValidator(180)]
LAT = [MinValueValidator(-90), MaxValueValidator(90)]


class GeometrySource(models.TextChoices):
    APPROXIMATE = "approximate", _("Approximate (drawn by Centinela)")
    OFFICIAL = "official", _("Imported boundary")


class Canton(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=120)
    province = models.CharField(_("province"), max_length=120)
    outline = GeometryField(_("outline"), null=True, blank=True)
    outline_source = models.CharField(
        max_length=12,
        choices=GeometrySource.choices,
        default=GeometrySource.APPROXIMATE,
        verbose_name=_("outline source"),
    )

    class Meta:
        verbose_name = _("canton")
        verbose_name_plural = _("cantons")

    def __str__(self):
        return self.name


class Area(models.Model):
    """What parishes and barrios share: a code, a name, a centre point and an area geometry."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    centre_lon = models.FloatField(_("centre longitude"), null=True, blank=True, validators=LON)
    centre_lat = models.FloatField(_("centre latitude"), null=True, blank=True, validators=LAT)
    geometry = GeometryField(_("boundary"), null=True, blank=True)
    geometry_source = models.CharField(
        _("boundary source"), max_length=12, choices=GeometrySource.choices, default=GeometrySource.APPROXIMATE
    )
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_approximate(self) -> bool:
        return self.geometry_source == GeometrySource.APPROXIMATE


class Parish(Area):
    class Kind(models.TextChoices):
        URBAN = "urban", _("Urban")
        RURAL = "rural", _("Rural")

    canton = models.ForeignKey(Canton, on_delete=models.PROTECT, related_name="parishes", verbose_name=_("canton"))
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    seat = models.CharField(_("parish seat / other name"), max_length=120, blank=True)

    class Meta(Area.Meta):
        verbose_name = _("parish")
        verbose_name_plural = _("parishes")

    parish_path = "pk"  # how the permission check finds the parish a record belongs to

    def get_absolute_url(self):
        return reverse("territory:parish_detail", args=[self.pk])

    @property
    def latest_population(self):
        return self.populations.order_by("-year").first()


class PopulationKind(models.TextChoices):
    CENSUS = "census", _("Census")
    ESTIMATE = "estimate", _("Estimate")
    # A figure from no official table (an earlier gazetteer took some from an encyclopaedia): kept, shown as such,
    # never used for a rate.
    UNVERIFIED = "unverified", _("Unverified (not used for rates)")


# The kinds a rate may divide by.
RATE_KINDS = (PopulationKind.CENSUS, PopulationKind.ESTIMATE)


class PopulationFigure(models.Model):
    """How many people live in an area in a year, and who says so: a census count (INEC) or an estimate that staff
    entered with its source (the urban parishes, which the census does not count one by one, and the barrios)."""

    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(_("population"))
    kind = models.CharField(_("kind"), max_length=10, choices=PopulationKind.choices, default=PopulationKind.CENSUS)
    source = models.CharField(_("source"), max_length=300, help_text=_("Who published the figure, and which table."))
    source_url = models.URLField(_("source address"), max_length=500, blank=True)

    class Meta:
        abstract = True
        ordering = ["-year"]

    def __str__(self):
        return f"{self.population} ({self.get_kind_display().lower()} {self.year})"


class ParishPopulation(PopulationFigure):
    parish = models.ForeignKey(Parish, on_delete=models.CASCADE, related_name="populations", verbose_name=_("parish"))

    class Meta(PopulationFigure.Meta):
        verbose_name = _("parish population")
        verbose_name_plural = _("parish populations")
        constraints = [
            models.UniqueConstraint(fields=["parish", "year", "kind"], name="one_parish_population_per_year_kind")
        ]

    parish_path = "parish"


class Barrio(Area):
    parish = models.ForeignKey(Parish, on_delete=models.PROTECT, related_name="barrios", verbose_name=_("parish"))

    class Meta(Area.Meta):
        verbose_name = _("barrio")
        verbose_name_plural = _("barrios")

    parish_path = "parish"

    def get_absolute_url(self):
        return reverse("territory:barrio_detail", args=[self.pk])


class BarrioPopulation(PopulationFigure):
    barrio = models.ForeignKey(Barrio, on_delete=models.CASCADE, related_name="populations", verbose_name=_("barrio"))

    class Meta(PopulationFigure.Meta):
        verbose_name = _("barrio population")
        verbose_name_plural = _("barrio populations")
        constraints = [
            models.UniqueConstraint(fields=["barrio", "year", "kind"], name="one_barrio_population_per_year_kind")
        ]

    parish_path = "barrio__parish"


class Place(models.Model):
    class Kind(models.TextChoices):
        PARK = "park", _("Park")
        MARKET = "market", _("Market")
        MUNICIPAL = "municipal", _("Municipal building")
        BANK = "bank", _("Bank")
        HEALTH = "health", _("Health centre")
        SCHOOL = "school", _("School")
        POLICE = "police", _("Police unit (UPC)")
        FIRE = "fire", _("Fire station")
        FACILITY = "facility", _("Facility")
        CARE_HOME = "care_home", _("Care home")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    lon = models.FloatField(_("longitude"), validators=LON)
    lat = models.FloatField(_("latitude"), validators=LAT)
    parish = models.ForeignKey(
        Parish, on_delete=models.PROTECT, related_name="places", verbose_name=_("parish"), null=True, blank=True
    )
    barrio = models.ForeignKey(
        Barrio, on_delete=models.SET_NULL, related_name="places", verbose_name=_("barrio"), null=True, blank=True
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    location_verified = models.BooleanField(
        _("location verified"), default=False, help_text=_("Checked on the ground or against an official source.")
    )
    # The public report page's place search shows a place's name and exact point to anyone: the gazetteer's places
    # (load_gazetteer) are public, a place created in the app (an activity's venue, a meeting house) is not until
    # the council's staff mark it so.
    public = models.BooleanField(
        _("in the public place search"),
        default=False,
        help_text=_("Anyone may find it by name, with its point, in the public report page's place search."),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "kind"], name="place_name_kind_unique")]

    parish_path = "parish"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("territory:place_detail", args=[self.pk])


class StreetSegment(models.Model):
    """A stretch of street (a line), imported from the municipality's or OpenStreetMap's street data; used to say
    which streets a camera watches."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=160)
    geometry = GeometryField(_("line"))
    parish = models.ForeignKey(
        Parish, on_delete=models.SET_NULL, null=True, blank=True, related_name="streets", verbose_name=_("parish")
    )
    length_m = models.FloatField(_("length (m)"), default=0)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("street segment")
        verbose_name_plural = _("street segments")
        ordering = ["name", "code"]

    parish_path = "parish"

    def __str__(self):
        return self.name
