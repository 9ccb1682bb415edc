from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "centinela.activities"
    verbose_name = _("Activities")

    def ready(self):
        from auditlog.registry import auditlog

        from centinela.accounts.permissions import can
        from centinela.activities import indicators  # noqa: F401 - registers the metric names Indicator.clean knows
        from centinela.activities import models as m
        from centinela.lib.menu import register_right

        register_right("can_read_council", lambda user: can(user, "view", m.CouncilSession))

        for model in (
            m.Plan,
            m.Programme,
            m.Indicator,
            m.IndicatorTarget,
            m.Activity,
            m.ActivityPartner,
            m.Evidence,
            m.Training,
            m.Speaker,
            m.Attendance,
            m.Operation,
            m.OperationType,
            m.Campaign,
            m.Material,
            m.Placement,
            m.WorkingGroup,
            m.WorkingGroupMember,
            m.CouncilSession,
            m.SessionAttendance,
            m.Resolution,
        ):
            auditlog.register(model)
        auditlog.register(m.Person, mask_fields=["cedula", "phone", "email"])
