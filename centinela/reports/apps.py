from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "centinela.reports"
    verbose_name = _("Reports")

    def ready(self):
        from centinela.lib.menu import register_right
        from centinela.reports.permissions import can_read_annual_report

        register_right("can_read_annual_report", can_read_annual_report)

        from auditlog.registry import auditlog

        from centinela.reports.models import DemoDataset, ReportVersion

        auditlog.register(ReportVersion, exclude_fields=["figures"])  # the SHA-256 names the version
        auditlog.register(DemoDataset)
