"""The personal data partners hold, for data-protection requests (accounts.data_requests.registry): the contact
people of the institutions."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from centinela.accounts.data_requests.registry import Holder, register
from centinela.partners.models import ContactPerson


@register
class ContactPeople(Holder):
    key = "partners.contactperson"
    label = gettext_lazy("Contact person of an institution")
    model = ContactPerson
    email_field, phone_field = "email", "phone"
    personal_fields = ("name", "email", "phone")
    erased = {"name": "", "email": "", "phone": ""}

    def queryset(self):
        return ContactPerson.objects.select_related("institution")

    def url(self, record):
        return record.institution.get_absolute_url()

    def context(self, record):
        meta = ContactPerson._meta
        return [
            (str(capfirst(meta.get_field("institution").verbose_name)), str(record.institution)),
            (str(capfirst(meta.get_field("position").verbose_name)), record.position),
        ]
