"""The registry of personal-data holders: every kind of record that holds a person's cédula, e-mail or phone,
declared by the app that owns it in its `personal_data.py`, so a data-protection request (LOPDP: access,
rectification, deletion, portability) finds everything held about one person without this package knowing any app
above accounts. Add a kind: in `<app>/personal_data.py`,

    from centinela.accounts.data_requests.registry import Holder, register

    @register
    class Members(Holder):
        key = "participation.committeemember"     # stable: the export and the erase form name records by it
        label = gettext_lazy("Barrio committee member")
        cedula_field, email_field, phone_field = "cedula", "email", "phone"
        personal_fields = ("name", "cedula", "phone", "email")
        erased = {"name": "", "cedula": "", "phone": "", "email": ""}   # None: not erased here (say why)

        def queryset(self):
            return CommitteeMember.objects.select_related("committee")

A holder compares a cédula by its digits, an e-mail without regard to case and a phone by its national digits
(`lib.phones`): the database preselects, `matches` decides."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.module_loading import autodiscover_modules
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.lib.phones import digits_only, national_digits

MODULE = "personal_data"  # the module of each app that declares its holders
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")

# what the audit entries of a request record, as the audit trail names them (accounts.audit_display)
AUDIT_LABELS = {
    "data_request": gettext_lazy("Data protection request"),
    "data_request_search": gettext_lazy("Personal data searched"),
    "data_request_export": gettext_lazy("Personal data exported"),
}


@dataclass(frozen=True)
class Query:
    """Whom a request is about, in the forms compared: a cédula's 10 digits, an e-mail in lower case, a phone's
    national digits ("991112233" for "+593 99 111 2233" and "099 111 2233")."""

    cedula: str = ""
    email: str = ""
    phone: str = ""

    @classmethod
    def parse(cls, *, cedula: str = "", email: str = "", phone: str = "") -> Query:
        """The query of what a person typed; a ValidationError naming the field for what cannot be one."""
        errors = {}
        cedula, email, phone = (cedula or "").strip(), (email or "").strip().lower(), (phone or "").strip()
        digits = re.sub(r"[\s.\-/]", "", cedula)
        if cedula and not (digits.isdigit() and len(digits) == 10):
            errors["cedula"] = _("A cédula has 10 digits (dashes and spaces are ignored).")
        if email and not EMAIL.match(email):
            errors["email"] = _("Write a whole e-mail address.")
        national = national_digits(phone) if phone else ""
        if phone and not national:
            errors["phone"] = _("Write an Ecuadorian phone number (e.g. 099 111 2233 or +593 99 111 2233).")
        if errors:
            raise ValidationError(errors)
        if not (cedula or email or phone):
            raise ValidationError(_("Write a cédula, an e-mail address or a phone number."))
        return cls(cedula=digits if cedula else "", email=email, phone=national)

    def masked(self) -> str:
        """The terms as the audit trail keeps them (masked as auditlog masks personal fields)."""
        from auditlog.diff import mask_str

        parts = []
        for name, value in (("cedula", self.cedula), ("email", self.email), ("phone", self.phone)):
            if value:
                parts.append(f"{name} {mask_str(value)}")
        return "; ".join(parts)

    def as_dict(self) -> dict[str, str]:
        return {"cedula": self.cedula, "email": self.email, "phone": self.phone}


@dataclass
class Found:
    """One record about the person: what it is, where it is, what it holds of them, whether it can be erased here."""

    holder: Holder
    record: models.Model
    title: str
    url: str
    fields: list[tuple[str, str, str]]  # (field name, label, value held)
    context: list[tuple[str, str]] = field(default_factory=list)  # (label, value): what the record is, kept
    reason: str = ""  # why it cannot be erased here; "" when it can

    @property
    def key(self) -> str:
        return f"{self.holder.key}:{self.record.pk}"

    @property
    def erasable(self) -> bool:
        return not self.reason

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "title": self.title,
            "url": self.url,
            "personal_data": [{"field": name, "label": label, "value": value} for name, label, value in self.fields],
            "context": [{"label": label, "value": value} for label, value in self.context],
            "erasable": self.erasable,
            "not_erasable_because": self.reason,
        }


class Holder:
    """A kind of record holding personal data. Subclasses set the class attributes and, where needed, override
    `queryset`, `title`, `url`, `context` and `erase`."""

    key: ClassVar[str] = ""
    label: ClassVar[Any] = ""
    model: ClassVar[type[models.Model]]
    cedula_field: ClassVar[str] = ""
    email_field: ClassVar[str] = ""
    phone_field: ClassVar[str] = ""
    personal_fields: ClassVar[tuple[str, ...]] = ()
    # the value each personal field takes when erased; None: the holder's records are not erased here
    erased: ClassVar[dict[str, Any] | None] = None
    not_erasable_because: ClassVar[Any] = ""

    def queryset(self):
        return self.model._default_manager.all()

    def find(self, query: Query) -> list[models.Model]:
        """The records about the person: the database preselects by digits and case, `matches` decides."""
        rows = self.queryset()
        wanted = Q(pk__in=[])
        if query.cedula and self.cedula_field:
            rows = rows.annotate(_dr_cedula=digits_only(F(self.cedula_field)))
            wanted |= Q(_dr_cedula=query.cedula)
        if query.email and self.email_field:
            wanted |= Q(**{f"{self.email_field}__iexact": query.email})
        if query.phone and self.phone_field:
            rows = rows.annotate(_dr_phone=digits_only(F(self.phone_field)))
            wanted |= Q(_dr_phone__endswith=query.phone)
        return [record for record in rows.filter(wanted).order_by("pk") if self.matches(record, query)]

    def matches(self, record, query: Query) -> bool:
        def value(name):
            return str(getattr(record, name) or "") if name else ""

        return bool(
            (query.cedula and re.sub(r"\D", "", value(self.cedula_field)) == query.cedula)
            or (query.email and value(self.email_field).strip().lower() == query.email)
            or (query.phone and national_digits(value(self.phone_field)) == query.phone)
        )

    def title(self, record) -> str:
        return str(record)

    def url(self, record) -> str:
        return record.get_absolute_url()

    def context(self, record) -> list[tuple[str, str]]:
        return []

    def field_label(self, name: str) -> str:
        return str(capfirst(getattr(self.model._meta.get_field(name), "verbose_name", name)))

    def held(self, record) -> list[tuple[str, str, str]]:
        return [(name, self.field_label(name), str(getattr(record, name) or "")) for name in self.personal_fields]

    def reason(self, record) -> str:
        """Why this record cannot be erased here ("" when it can)."""
        return "" if self.erased is not None else str(self.not_erasable_because)

    def erase(self, record) -> None:
        """Blank the personal fields; the record stays (and every count made of it)."""
        assert self.erased is not None
        for name, value in self.erased.items():
            setattr(record, name, value)
        record.save(update_fields=list(self.erased))


HOLDERS: dict[str, Holder] = {}
_discovered = False


def register(cls: type[Holder]) -> type[Holder]:
    if not cls.key or cls.key in HOLDERS and type(HOLDERS[cls.key]) is not cls:
        raise ValueError(f"a personal-data holder needs a key of its own: {cls.key!r}")
    HOLDERS[cls.key] = cls()
    return cls


def autodiscover() -> None:
    """Import every app's `personal_data` module once (each registers its holders)."""
    global _discovered
    if _discovered:
        return
    autodiscover_modules(MODULE)
    _discovered = True


def holders() -> list[Holder]:
    autodiscover()
    return [HOLDERS[key] for key in sorted(HOLDERS)]
