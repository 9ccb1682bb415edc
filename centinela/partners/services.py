"""Changing partners: institutions, contacts, agreements and obligations, an institution's part in an activity,
and the expiry warnings e-mailed to the council. Every function starts with the one permission check."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from centinela.accounts.models import Role, User
from centinela.accounts.permissions import require
from centinela.lib.records import save_checked
from centinela.partners import selectors
from centinela.partners.models import (
    Agreement,
    AgreementWarning,
    ContactPerson,
    Institution,
    Obligation,
    contribution_model,
)

# E-mail warnings go out when an agreement enters its warning period (its own warn_days) and again at these
# days before it ends, each once.
WARNING_DAYS = (30, 7)


def save_institution(user, institution: Institution) -> Institution:
    return save_checked(user, institution)


def save_contact(user, contact: ContactPerson) -> ContactPerson:
    return save_checked(user, contact)


def check_agreement_dates(agreement: Agreement) -> None:
    if agreement.signed_on and agreement.valid_until and agreement.valid_until < agreement.signed_on:
        raise ValidationError({"valid_until": _("The agreement cannot end before it is signed.")})


def save_agreement(user, agreement: Agreement) -> Agreement:
    return save_checked(user, agreement, check_agreement_dates)


def check_obligation_dates(obligation: Obligation) -> None:
    agreement, due = obligation.agreement, obligation.due_on
    if due and due < agreement.signed_on:
        raise ValidationError(
            {
                "due_on": _("The due date is before the agreement was signed (%(d)s).")
                % {"d": agreement.signed_on.strftime("%d/%m/%Y")}
            }
        )
    if due and agreement.valid_until and due > agreement.valid_until:
        raise ValidationError(
            {
                "due_on": _("The due date is after the agreement ends (%(d)s).")
                % {"d": agreement.valid_until.strftime("%d/%m/%Y")}
            }
        )


@transaction.atomic
def save_obligation(user, obligation: Obligation, activities=None) -> Obligation:
    """`activities`: those that fulfil it (None keeps the current ones)."""
    save_checked(user, obligation, check_obligation_dates)
    if activities is None:
        activities = getattr(obligation, "chosen_activities", None)  # set by ObligationForm.save
    if activities is not None:
        obligation.activities.set(activities)
    return obligation


def save_participation(user, part):
    """An institution's role in an activity and what it contributed in kind; editing it is editing the activity."""
    require(user, "change", part.activity)

    def check(p):
        same = (
            contribution_model()
            .objects.filter(activity=p.activity, institution=p.institution, role=p.role)
            .exclude(pk=p.pk)
        )
        if same.exists():
            raise ValidationError({"role": _("This institution already has this role in that activity.")})

    return save_checked(user, part, check)


# --- expiry warnings ------------------------------------------------------------------------------------------


def warning_recipients() -> list[str]:
    """Administrators and the director: active, with an e-mail address."""
    users = User.objects.filter(is_active=True).exclude(email="")
    users = users.filter(role__in=[Role.ADMIN, Role.DIRECTOR]) | users.filter(is_superuser=True)
    return sorted(set(users.values_list("email", flat=True)))


def threshold_reached(agreement: Agreement, today: date) -> int | None:
    """The smallest warning threshold (days before the end) the agreement has reached, or None."""
    days_left = (agreement.valid_until - today).days
    thresholds = {agreement.warn_days} | {d for d in WARNING_DAYS if d < agreement.warn_days}
    reached = [t for t in thresholds if days_left <= t]
    return min(reached) if reached else None


def send_expiry_warnings(today: date | None = None, *, base_url: str = "") -> list[AgreementWarning]:
    """E-mail the administrators and the director about each agreement about to expire, once per agreement, end
    date and threshold (a missed day never sends two). What was sent is recorded; a failed send is not, so the
    next run tries again."""
    today = today or timezone.localdate()
    recipients = warning_recipients()
    if not recipients:
        return []
    sent = []
    with translation.override(settings.LANGUAGE_CODE):
        for agreement in selectors.expiring_agreements(today):
            threshold = threshold_reached(agreement, today)
            if threshold is None:
                continue
            key = {"agreement": agreement, "valid_until": agreement.valid_until, "threshold_days": threshold}
            if AgreementWarning.objects.filter(**key).exists():
                continue
            context = {
                "code": agreement.code,
                "title": agreement.title,
                "counterpart": agreement.counterpart.name,
                "date": agreement.valid_until.strftime("%d/%m/%Y"),
                "days": agreement.days_left,
                "url": base_url.rstrip("/") + reverse("partners:agreement_detail", args=[agreement.pk]),
            }
            if agreement.days_left == 0:
                subject = _("Centinela: agreement %(code)s expires today") % context
            else:
                subject = (
                    ngettext(
                        "Centinela: agreement %(code)s expires in %(days)s day",
                        "Centinela: agreement %(code)s expires in %(days)s days",
                        agreement.days_left,
                    )
                    % context
                )
            send_mail(
                subject,
                _(
                    "The agreement %(code)s (%(title)s) with %(counterpart)s is valid until %(date)s."
                    "\n\nRenew it or plan its closure: %(url)s"
                )
                % context,
                settings.DEFAULT_FROM_EMAIL,
                recipients,
            )
            sent.append(AgreementWarning.objects.create(**key, recipients=", ".join(recipients)))
    return sent
