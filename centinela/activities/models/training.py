"""Preventive trainings: speakers, the people who attend (personal data under LOPDP), attendance and certificates."""

import secrets

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from centinela.activities.cedula import validate_cedula
from centinela.lib.urls import reverse


def _token():
    return secrets.token_urlsafe(12)


class Training(models.Model):
    activity = models.OneToOneField(
        "activities.Activity", on_delete=models.CASCADE, related_name="training", verbose_name=_("activity")
    )
    topic = models.CharField(_("topic"), max_length=250)
    audience = models.CharField(_("audience"), max_length=250, blank=True)
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=1, default=2, validators=[MinValueValidator(0)]
    )
    checkin_token = models.CharField(
        max_length=32, unique=True, default=_token, editable=False, verbose_name=_("check-in token")
    )
    checkin_open = models.BooleanField(_("self check-in open"), default=False)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    parish_path = "activity__parish"

    def __str__(self):
        return self.topic

    def get_absolute_url(self):
        return reverse("activities:training_detail", args=[self.pk])


class Speaker(models.Model):
    training = models.ForeignKey(
        Training, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("training")
    )
    institution = models.ForeignKey(
        "partners.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    name = models.CharField(_("name"), max_length=160)
    subject = models.CharField(_("subject"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    parish_path = "training__activity__parish"


class Person(models.Model):
    """Someone who attends a training. Personal data: cédula, phone and e-mail are shown only to those who need
    them; consent to data processing is recorded (Ley Orgánica de Protección de Datos Personales)."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")
        OTHER = "X", _("Other / prefers not to say")

    class AgeBand(models.TextChoices):
        UNDER_18 = "0-17", _("Under 18")
        YOUNG = "18-29", "18-29"
        ADULT = "30-44", "30-44"
        MIDDLE = "45-64", "45-64"
        SENIOR = "65+", _("65 or over")

    first_names = models.CharField(_("first names"), max_length=120)
    last_names = models.CharField(_("last names"), max_length=120)
    cedula = models.CharField(
        _("cédula"),
        max_length=10,
        blank=True,
        null=True,
        unique=True,
        validators=[validate_cedula],
        help_text=_("Optional for minors."),
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=5, choices=AgeBand.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    parish = models.ForeignKey(
        "territory.Parish", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("parish")
    )
    barrio = models.ForeignKey(
        "territory.Barrio", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("barrio")
    )
    consent = models.BooleanField(_("consents to data processing"), default=False)
    consent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("consent given at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_names", "first_names"]
        indexes = [models.Index(fields=["last_names", "first_names"])]

    parish_path = "parish"

    def __str__(self):
        return f"{self.first_names} {self.last_names}"

    @property
    def is_minor(self):
        return self.age_band == self.AgeBand.UNDER_18

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.cedula == "":
            self.cedula = None
        if not self.cedula and self.age_band != self.AgeBand.UNDER_18:
            raise ValidationError({"cedula": _("The cédula is required for adults.")})


class AttendanceQuerySet(models.QuerySet):
    def trained(self):
        """The people a training trained: present, and there to learn. The police officers and firefighters who come
        with a speaker to inform the attendees are present but not trained, and count in no "people trained"."""
        return self.filter(attended=True, participation=Attendance.Participation.TRAINEE)

    def supporting(self):
        """Present to support the speakers (their institution's team), not to be trained."""
        return self.filter(attended=True, participation=Attendance.Participation.SUPPORT)


class Attendance(models.Model):
    class Participation(models.TextChoices):
        TRAINEE = "trainee", _("Trainee")
        SUPPORT = "support", _("Support to the speakers")

    class Role(models.TextChoices):
        PARISH_PRESIDENT = "parish_president", _("Parish president")
        BARRIO_LEADER = "barrio_leader", _("Barrio leader")
        RESIDENT = "resident", _("Resident")
        POLICE = "police", _("Police officer")
        FIREFIGHTER = "firefighter", _("Firefighter")
        OTHER = "other", _("Other")

    class Via(models.TextChoices):
        STAFF = "staff", _("Registered by staff")
        SELF = "self", _("Self check-in (QR)")
        IMPORT = "import", _("Imported attendance sheet")

    training = models.ForeignKey(
        Training, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("training")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.RESIDENT)
    institution = models.ForeignKey(
        "partners.Institution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institution"),
    )
    participation = models.CharField(
        _("took part as"),
        max_length=8,
        choices=Participation.choices,
        default=Participation.TRAINEE,
        help_text=_(
            "Support: someone who came with the speakers to inform the attendees (e.g. police officers or "
            "firefighters the council asked to come); not counted among the people trained and given no certificate."
        ),
    )
    attended = models.BooleanField(_("attended"), default=True)
    via = models.CharField(max_length=6, choices=Via.choices, default=Via.STAFF, verbose_name=_("registered through"))
    registered_at = models.DateTimeField(auto_now_add=True, verbose_name=_("registered at"))
    certificate_code = models.CharField(
        max_length=16, unique=True, null=True, blank=True, verbose_name=_("certificate code")
    )
    certificate_issued_at = models.DateTimeField(null=True, blank=True, verbose_name=_("certificate issued at"))

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["training", "person"], name="one_attendance_per_person")]
        ordering = ["person__last_names"]

    parish_path = "training__activity__parish"

    @property
    def is_trainee(self) -> bool:
        return self.participation == self.Participation.TRAINEE
