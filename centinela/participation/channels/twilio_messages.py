"""SMS and WhatsApp through Twilio's Programmable Messaging API, with Twilio's own library. Off unless the
administrator set the account (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN) and a sender for the channel
(TWILIO_SMS_FROM, TWILIO_WHATSAPP_FROM). Requests go to TWILIO_API_BASE only, with a timeout."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from centinela.lib.phones import e164
from centinela.participation.channels.base import Channel, Notice, register


def client():
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    twilio = Client(
        settings.TWILIO_ACCOUNT_SID,
        settings.TWILIO_AUTH_TOKEN,
        http_client=TwilioHttpClient(timeout=settings.TWILIO_TIMEOUT_SECONDS),
    )
    twilio.api.base_url = settings.TWILIO_API_BASE
    return twilio


class TwilioChannel(Channel):
    sender_setting = ""
    prefix = ""

    def sender(self) -> str:
        return getattr(settings, self.sender_setting, "")

    def configured(self) -> bool:
        return bool(settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN and self.sender())

    def address_of(self, report) -> str:
        return e164(report.contact_phone)

    def send(self, address: str, notice: Notice) -> None:
        client().messages.create(to=self.prefix + address, from_=self.prefix + self.sender(), body=notice.short)


@register
class Sms(TwilioChannel):
    code = "sms"
    label = _("SMS")
    sender_setting = "TWILIO_SMS_FROM"


@register
class WhatsApp(TwilioChannel):
    code = "whatsapp"
    label = _("WhatsApp")
    sender_setting = "TWILIO_WHATSAPP_FROM"
    prefix = "whatsapp:"

    def sender(self) -> str:
        return super().sender().removeprefix("whatsapp:")
