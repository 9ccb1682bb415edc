"""Agreements of barrio committees that are overdue, told to the parish president who keeps those committees. An
agreement's responsible is a name written by the committee, not an account, so no one is "assigned" one here; the
council's staff follow them all on the agreements board."""

from django.utils.translation import gettext as _

from centinela.accounts.models import Role
from centinela.notifications.sources.base import Item, Source, register
from centinela.participation.committees.models import OPEN_AGREEMENT, CommitteeAgreement


@register
class CommitteeAgreements(Source):
    name = "committee_agreements"
    model = CommitteeAgreement

    def items(self, user, today, object_ids=None):
        if user.is_superuser or user.role != Role.PARISH_PRESIDENT:
            return []
        rows = self.scoped(
            user,
            self.among(
                CommitteeAgreement.objects.filter(status__in=OPEN_AGREEMENT, due_on__lt=today), object_ids
            ).select_related("meeting__committee__barrio"),
        )
        return [
            Item(
                source=self.name,
                object_id=a.pk,
                label=_("Committee agreement"),
                title=_("%(committee)s: %(text)s") % {"committee": a.meeting.committee, "text": a.text[:80]},
                url=a.get_absolute_url(),
                due_on=a.due_on,
                overdue=True,
                assigned=False,
            )
            for a in rows
        ]
