"""Citizen reports assigned to the user and still open; overdue past their category's time limit (Report.due_on).
The title names the report by its code and category only: never the reporter's contact data (LOPDP), since it
goes into e-mails."""

from django.utils.translation import gettext as _

from centinela.notifications.sources.base import Item, Source, register
from centinela.participation.models import OPEN, Report


@register
class Reports(Source):
    name = "reports"
    model = Report
    assignee_fields = ("assigned_to",)

    def items(self, user, today, object_ids=None):
        rows = self.scoped(
            user,
            self.among(Report.objects.filter(assigned_to=user, status__in=OPEN), object_ids).select_related(
                "category", "barrio"
            ),
        ).only("pk", "code", "created_at", "category__name", "category__days_to_resolve", "barrio__name")
        items = []
        for r in rows:
            where = f" · {r.barrio.name}" if r.barrio_id else ""
            items.append(
                Item(
                    source=self.name,
                    object_id=r.pk,
                    label=_("Citizen report"),
                    title=f"{r.code} · {r.category.name}{where}",
                    url=r.get_absolute_url(),
                    due_on=r.due_on,
                    overdue=r.due_on < today,
                    assigned=True,
                )
            )
        return items
