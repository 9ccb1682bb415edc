"""The personal data participation holds, for data-protection requests (accounts.data_requests.registry): the
contact left with a citizen report, and the members of barrio committees."""

from django.utils import formats
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy

from centinela.accounts.data_requests.registry import Holder, register
from centinela.participation import services
from centinela.participation.models import CommitteeMember, Report


def _label(model, name: str) -> str:
    return str(capfirst(model._meta.get_field(name).verbose_name))


@register
class ReportContacts(Holder):
    """The contact of a report is erased as the retention rule erases it (`services.anonymise_report`); the report,
    its words and its updates stay."""

    key = "participation.report"
    label = gettext_lazy("Contact of a citizen report")
    model = Report
    email_field, phone_field = "contact_email", "contact_phone"
    personal_fields = ("contact_name", "contact_phone", "contact_email")
    erased = {"contact_name": "", "contact_phone": "", "contact_email": ""}

    def queryset(self):
        return Report.objects.select_related("category")

    def context(self, record):
        return [
            (_label(Report, "category"), str(record.category)),
            (_label(Report, "status"), str(record.get_status_display())),
            (_label(Report, "created_at"), formats.date_format(localtime(record.created_at), "SHORT_DATE_FORMAT")),
            (
                _label(Report, "contact_consent"),
                str(gettext_lazy("yes") if record.contact_consent else gettext_lazy("no")),
            ),
        ]

    def erase(self, record):
        services.anonymise_report(record)


@register
class CommitteeMembers(Holder):
    key = "participation.committeemember"
    label = gettext_lazy("Barrio committee member")
    model = CommitteeMember
    cedula_field, email_field, phone_field = "cedula", "email", "phone"
    personal_fields = ("name", "cedula", "phone", "email")
    erased = {"name": "", "cedula": "", "phone": "", "email": ""}

    def queryset(self):
        return CommitteeMember.objects.select_related("committee")

    def context(self, record):
        return [
            (_label(CommitteeMember, "committee"), str(record.committee)),
            (_label(CommitteeMember, "role"), str(record.get_role_display())),
            (_label(CommitteeMember, "joined_on"), formats.date_format(record.joined_on, "SHORT_DATE_FORMAT")),
            (
                _label(CommitteeMember, "left_on"),
                formats.date_format(record.left_on, "SHORT_DATE_FORMAT") if record.left_on else "—",
            ),
        ]
