"""E-mail through Django's mail framework (console or file backend in the demo, SMTP in production)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext_lazy as _

from centinela.participation.channels.base import Channel, Notice, register


@register
class Email(Channel):
    code = "email"
    label = _("E-mail")

    def configured(self) -> bool:
        return True

    def address_of(self, report) -> str:
        return report.contact_email or ""

    def send(self, address: str, notice: Notice) -> None:
        send_mail(notice.subject, notice.body, settings.DEFAULT_FROM_EMAIL, [address])
