from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "centinela.notifications"
    verbose_name = _("Notices")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from auditlog.registry import auditlog
        from django.db.models.signals import post_save

        from centinela.jobs.signals import job_ended
        from centinela.notifications import models, services
        from centinela.notifications.sources import SOURCES
        from centinela.participation.signals import reports_created

        # The apps below do not know this one: it listens to them (a job ended, an item saved with an assignee, reports
        # created in bulk).
        job_ended.connect(services.job_ended, dispatch_uid="notifications.job_ended")
        for source in SOURCES.values():
            if source.assignee_fields:
                post_save.connect(services.item_saved, sender=source.model, dispatch_uid=f"notifications.{source.name}")
        reports_created.connect(services.items_created, dispatch_uid="notifications.reports_created")
        # The digest choice is the user's, audited; the day of the last digest is the sender's bookkeeping.
        auditlog.register(models.Preference, exclude_fields=["last_digest_on"])
