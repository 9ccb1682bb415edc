from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CamerasConfig(AppConfig):
    name = "centinela.cameras"
    verbose_name = _("Video surveillance")

    def ready(self):
        from auditlog.registry import auditlog

        from centinela.cameras import models as m

        auditlog.register(m.Site)
        auditlog.register(m.System)
        auditlog.register(
            m.Device,
            exclude_fields=[
                "password_encrypted",
                "consecutive_failures",
                "consecutive_successes",
                "last_probe_at",
                "next_probe_at",
                "claimed_by",
                "claimed_until",
                "last_latency_ms",
                "last_detail",
                "health",
            ],
        )
        auditlog.register(m.MaintenanceTicket)
        auditlog.register(m.MaintenanceSchedule)
        auditlog.register(m.FootageRequest)
        auditlog.register(m.AlertRecipient)
        auditlog.register(m.Sighting)

        from centinela.cameras.services import link_new_incidents
        from centinela.incidents.signals import incidents_created

        incidents_created.connect(link_new_incidents, dispatch_uid="cameras.link_new_incidents")

        from centinela.cameras import versions

        versions.connect()

        from centinela.cameras.health import check_monitor
        from centinela.lib import crypto, health

        crypto.register_encrypted_field("cameras", "Device", "password_encrypted")
        health.register("monitor", check_monitor)

        from centinela.cameras.demo import camera_views
        from centinela.incidents import demo as incidents_demo

        if camera_views not in incidents_demo.VIEW_SOURCES:
            incidents_demo.VIEW_SOURCES.append(camera_views)  # the demo's incidents thin out where cameras watch
