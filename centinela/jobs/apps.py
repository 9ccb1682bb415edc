from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "centinela.jobs"
    verbose_name = _("Background jobs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from centinela.jobs.health import check_worker
        from centinela.lib import health

        health.register("worker", check_worker)
