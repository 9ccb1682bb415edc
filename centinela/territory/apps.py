from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "centinela.territory"
    verbose_name = _("Territory")

    def ready(self):
        from auditlog.registry import auditlog

        from centinela.territory import cache, models  # noqa: F401 - cache: its signals keep the map layers current

        for model in (
            models.Canton,
            models.Parish,
            models.ParishPopulation,
            models.BarrioPopulation,
            models.Barrio,
            models.Place,
            models.StreetSegment,
        ):
            auditlog.register(model, exclude_fields=["geometry"])
