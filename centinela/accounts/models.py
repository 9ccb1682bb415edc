"""Users and API tokens. A user's role and, for parish presidents, their parish decide what they see and edit."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from centinela.lib.urls import reverse


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    DIRECTOR = "director", _("Director")
    TECHNICIAN = "technician", _("Technician")
    LIAISON = "liaison", _("Institutional liaison")
    PARISH_PRESIDENT = "parish_president", _("Parish president")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.TECHNICIAN)
    # The partner institution the account belongs to (liaisons act for it: a footage request is theirs). A string
    # reference: partners never imports accounts, so the two apps load in any order.
    institution = models.ForeignKey(
        "partners.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("institution"),
        help_text=_("Required for institutional liaisons: the institution they act for."),
    )
    parish = models.ForeignKey(
        "territory.Parish",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("parish"),
        help_text=_("Required for parish presidents: the only parish whose records they see and edit."),
    )
    # Personal data (LOPDP): shown only to administrators and the director.
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    cedula = models.CharField(_("cédula"), max_length=10, blank=True)
    # The language of the e-mails sent to the user (the daily digest); empty: the site's (Spanish). The pages
    # follow the language chosen in the header instead.
    language = models.CharField(
        _("language of e-mails"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language of the daily digest and other e-mails to you. Empty: the site's language."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_absolute_url(self):
        return reverse("user_detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.role == Role.PARISH_PRESIDENT and not self.parish_id:
            errors["parish"] = _("A parish president needs their parish.")
        if self.role == Role.LIAISON and not self.institution_id:
            errors["institution"] = _("An institutional liaison needs their institution.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Only administrators reach the Django admin; the flag follows the role so the two never disagree.
        self.is_staff = self.role == Role.ADMIN or self.is_superuser
        super().save(*args, **kwargs)


class ApiToken(models.Model):
    """A bearer token for programs. Only a hash is stored; the token itself is shown once, when created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, verbose_name=_("key hash"))
    prefix = models.CharField(max_length=8, verbose_name=_("prefix"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    last_used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last used at"))

    class Meta:
        verbose_name = _("API token")

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple["ApiToken", str]:
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=cls.hash(key), prefix=key[:8])
        return token, key
