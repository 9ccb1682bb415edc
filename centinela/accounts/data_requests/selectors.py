"""Reading a person's data for a request: the records of every holder, grouped, and the export of them. Only those
who may see personal data (`permissions.can_see_personal_data`: administrators and the director) read them; a
record links to its page only for those whose permission check opens that page."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from centinela.accounts.data_requests.registry import Found, Holder, Query, holders
from centinela.accounts.permissions import can, can_see_personal_data


@dataclass
class Group:
    holder: Holder
    found: list[Found]

    @property
    def label(self) -> str:
        return str(self.holder.label)


def describe(holder: Holder, record, user) -> Found:
    return Found(
        holder=holder,
        record=record,
        title=holder.title(record),
        url=holder.url(record) if can(user, "view", record) else "",
        fields=holder.held(record),
        context=holder.context(record),
        reason=holder.reason(record),
    )


def find(user, query: Query) -> list[Group]:
    """Every holder with the records it holds about the person (empty groups too: the page says where it looked)."""
    if not can_see_personal_data(user):
        raise PermissionDenied
    return [Group(holder, [describe(holder, record, user) for record in holder.find(query)]) for holder in holders()]


def export(user, query: Query, reference: str = "") -> dict:
    """Everything found, as the JSON a person receives in answer to access or portability."""
    groups = find(user, query)
    return {
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "generated_by": user.get_username(),
        "request": reference,
        "query": query.as_dict(),
        "holders": [
            {"key": group.holder.key, "label": group.label, "records": [found.as_json() for found in group.found]}
            for group in groups
        ],
    }
