"""The personal data accounts hold, for data-protection requests (accounts.data_requests.registry)."""

from django.utils.translation import gettext_lazy

from centinela.accounts.data_requests.registry import Holder, register
from centinela.accounts.models import User


@register
class UserAccounts(Holder):
    """Listed, never erased here: an account is deactivated on the user pages (the records and the audit trail keep
    naming it), and its fields are corrected there."""

    key = "accounts.user"
    label = gettext_lazy("User account")
    model = User
    cedula_field, email_field, phone_field = "cedula", "email", "phone"
    personal_fields = ("first_name", "last_name", "email", "phone", "cedula")
    erased = None
    not_erasable_because = gettext_lazy(
        "User accounts are not erased: an administrator deactivates the account and corrects its data on the user "
        "pages (the records and the audit trail keep naming it)."
    )

    def title(self, record):
        return record.username

    def context(self, record):
        return [
            (str(gettext_lazy("Role")), str(record.get_role_display())),
            (str(gettext_lazy("Active account")), str(gettext_lazy("yes") if record.is_active else gettext_lazy("no"))),
        ]
