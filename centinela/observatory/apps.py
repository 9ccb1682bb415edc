from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    name = "centinela.observatory"
    verbose_name = _("Observatory")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from centinela.incidents.signals import incidents_imported
        from centinela.observatory.views.open_data import warm_open_data

        incidents_imported.connect(warm_open_data, dispatch_uid="observatory.warm_open_data")
