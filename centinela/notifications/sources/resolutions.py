"""The council's resolutions (acuerdos of a session) whose responsible person is the user, while pending or in
progress; overdue once their due day has passed (Resolution.is_overdue)."""

from django.utils.translation import gettext as _

from centinela.activities.models import Resolution
from centinela.notifications.sources.base import Item, Source, register

OPEN = (Resolution.Status.PENDING, Resolution.Status.IN_PROGRESS)


@register
class Resolutions(Source):
    name = "resolutions"
    model = Resolution
    assignee_fields = ("owner",)

    def items(self, user, today, object_ids=None):
        rows = self.scoped(
            user,
            self.among(Resolution.objects.filter(owner=user, status__in=OPEN), object_ids).select_related("session"),
        )
        return [
            Item(
                source=self.name,
                object_id=r.pk,
                label=_("Council resolution"),
                title=_("Resolution %(number)s (%(session)s): %(text)s")
                % {"number": r.number, "session": r.session, "text": r.text[:80]},
                url=r.get_absolute_url(),
                due_on=r.due_on,
                overdue=r.is_overdue(today),
                assigned=True,
            )
            for r in rows
        ]
