"""How a reporter hears of a public change to their report: a registry of channels, one module per kind (as
healthchecks' integrations). Each channel says whether the council configured it, which address of a report it
uses, and sends one notice. A reporter chooses a channel on the report form (Report.notify_by); when that channel is
not configured here, or the report has no address for it, the notice goes by e-mail if they left one.

Add a channel: a module here with a `Channel` subclass decorated with `@register`, imported here.
"""

from __future__ import annotations

from centinela.participation.channels import email, twilio_messages  # noqa: F401  (each registers its channel)
from centinela.participation.channels.base import CHANNELS, Channel, Notice, register

__all__ = ["CHANNELS", "Channel", "Notice", "available", "delivery_for", "register"]


def available() -> list[Channel]:
    """The channels a reporter may choose here: the configured ones, e-mail first."""
    return [c for c in CHANNELS.values() if c.configured()]


def delivery_for(report) -> tuple[Channel, str] | None:
    """Where a notice about `report` goes: the reporter's chosen channel when configured and addressed, else e-mail;
    None when the reporter gave no consent or no usable address (an anonymous report hears nothing)."""
    if not report.contact_consent:
        return None
    chosen = CHANNELS.get(report.notify_by or "email")
    if chosen is not None and chosen.configured():
        address = chosen.address_of(report)
        if address:
            return chosen, address
    by_mail = CHANNELS["email"]
    address = by_mail.address_of(report)
    return (by_mail, address) if address else None
