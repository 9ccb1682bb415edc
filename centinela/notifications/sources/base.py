"""The registry of notice sources: one module per kind of thing a user is told about, each a `Source` subclass
decorated with `@register` and imported in `sources/__init__.py`. A source says which open items are the user's
(assigned to them) and which of those, or of what else concerns them, are overdue; all through the one permission
check, so a user is only ever told of what they may open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Model, QuerySet

from centinela.accounts import permissions

SOURCES: dict[str, Source] = {}


@dataclass(frozen=True)
class Item:
    """One thing on a user's plate: what it is, where it opens, when it is due and whether that day has passed."""

    source: str
    object_id: int
    label: str  # the kind, as the user reads it ("Resolución", "Reporte ciudadano")
    title: str  # never personal data of citizens (LOPDP): it goes into e-mails
    url: str
    due_on: date | None
    overdue: bool
    assigned: bool  # assigned to the user (else it concerns them as the keeper of its parish)


class Source:
    name = ""
    label = ""
    model: type[Model] | None = None
    # The model's fields naming the user an item is assigned to: a save tells that user at once.
    assignee_fields: tuple[str, ...] = ()

    def items(self, user, today: date, object_ids=None) -> list[Item]:
        """The user's open items of this kind (assigned to them, or overdue and theirs to follow); of these ids only,
        when given (an item just saved: its assignee is told of it without re-reading all the others)."""
        return []

    @staticmethod
    def among(queryset: QuerySet, object_ids) -> QuerySet:
        return queryset if object_ids is None else queryset.filter(pk__in=list(object_ids))

    def visible(self, user, object_ids) -> set[int]:
        """Of these ids, those the user may open now (a role or parish changed since the notice was written)."""
        return set(self.scoped(user, self.model.objects.filter(pk__in=list(object_ids))).values_list("pk", flat=True))

    def scoped(self, user, queryset: QuerySet) -> QuerySet:
        return permissions.scope(user, queryset)


def register(cls: type[Source]) -> type[Source]:
    SOURCES[cls.name] = cls()
    return cls
