from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "centinela.incidents"
    verbose_name = _("Incidents")

    def ready(self):
        from auditlog.registry import auditlog

        from centinela.incidents import cache  # noqa: F401  (its signal receivers)
        from centinela.incidents import models as m

        auditlog.register(m.Category)
        auditlog.register(m.Source)
        auditlog.register(m.ImportProfile)
        auditlog.register(m.Incident)
