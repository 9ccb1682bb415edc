from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "centinela.participation"
    verbose_name = _("Citizen participation")

    def ready(self):
        from auditlog.registry import auditlog

        from centinela.accounts.permissions import can
        from centinela.lib.menu import register_right
        from centinela.participation import models

        # the staff inbox in the menu, for the roles whose inbox answers
        register_right("can_read_citizen_reports", lambda user: can(user, "view", models.Report))

        auditlog.register(models.ReportCategory)
        # Who may file through Open311: created, deactivated, limits changed (the key's hash and each use are not
        # written there).
        auditlog.register(models.Open311Client, exclude_fields=["key_hash", "last_used_at"])
        auditlog.register(models.RoutingRule)
        # The reporter's contact is personal data (LOPDP): masked in the audit trail, fully (lib.audit: nothing of
        # the value kept); the private link's token is a secret that opens the tracking page, never written there.
        from centinela.lib.audit import MASK_CALLABLE

        auditlog.register(
            models.Report,
            mask_fields=list(models.Report.CONTACT_FIELDS),
            mask_callable=MASK_CALLABLE,
            exclude_fields=["token"],
            m2m_fields={"answered_by"},
        )
        auditlog.register(models.ReportPhoto)
        # the open reports as a layer of the maps beside the cameras (the network dashboard, the canton's map)
        from centinela.lib.maps import register_layer
        from centinela.participation.selectors import staff_layer

        register_layer("reports", staff_layer)
        # a NUL in an Open311 request: the specification's error list, in the format the address asks
        from centinela.lib.middleware import register_nul_refusal
        from centinela.participation.api import nul_refusal

        register_nul_refusal("/api/open311/", nul_refusal)
        auditlog.register(models.ReportUpdate)
        # Barrio committees: members' cédula, phone and e-mail are personal data (LOPDP), masked in the trail; who
        # attended a meeting is recorded with the meeting's changes.
        auditlog.register(models.Committee)
        auditlog.register(
            models.CommitteeMember, mask_fields=list(models.CommitteeMember.PERSONAL), mask_callable=MASK_CALLABLE
        )
        auditlog.register(models.CommitteeMeeting, m2m_fields={"present"})
        auditlog.register(models.CommitteeAgreement)
        auditlog.register(models.AgreementFollowUp)

        from centinela.lib.menu import register_right

        register_right("can_read_committees", lambda user: can(user, "view", models.Committee))
