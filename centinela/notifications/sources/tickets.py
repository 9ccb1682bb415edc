"""Camera maintenance tickets assigned to the user and not resolved. A ticket has no due day of its own: it is
overdue once open longer than NOTIFICATIONS_TICKET_DAYS days."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from centinela.cameras.models import MaintenanceTicket
from centinela.notifications.sources.base import Item, Source, register


@register
class Tickets(Source):
    name = "tickets"
    model = MaintenanceTicket
    assignee_fields = ("assigned_to",)

    def items(self, user, today, object_ids=None):
        rows = self.scoped(
            user,
            self.among(MaintenanceTicket.objects.filter(assigned_to=user), object_ids)
            .exclude(status=MaintenanceTicket.Status.RESOLVED)
            .select_related("device"),
        )
        days = int(settings.NOTIFICATIONS_TICKET_DAYS)
        items = []
        for t in rows:
            due = timezone.localtime(t.opened_at).date() + timedelta(days=days)
            items.append(
                Item(
                    source=self.name,
                    object_id=t.pk,
                    label=_("Maintenance ticket"),
                    title=_("Ticket #%(id)s, camera %(camera)s") % {"id": t.pk, "camera": t.device.code},
                    url=t.get_absolute_url(),
                    due_on=due,
                    overdue=due < today,
                    assigned=True,
                )
            )
        return items
