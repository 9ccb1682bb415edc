from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "centinela.partners"
    verbose_name = _("Partners")

    def ready(self):
        from auditlog.registry import auditlog

        from centinela.accounts.permissions import can
        from centinela.lib.menu import register_right
        from centinela.partners import models

        register_right("can_read_agreements", lambda user: can(user, "view", models.Agreement))

        auditlog.register(models.Institution)
        auditlog.register(models.ContactPerson, mask_fields=["phone", "email"])
        auditlog.register(models.Agreement)
        auditlog.register(models.Obligation, m2m_fields={"activities"})
