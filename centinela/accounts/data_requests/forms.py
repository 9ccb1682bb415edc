"""The request page's one form: whom the request is about, its reference, and (for erasing) the records chosen."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from centinela.accounts.data_requests.registry import Query
from centinela.accounts.data_requests.services import REFERENCE_MAX


class DataRequestForm(forms.Form):
    cedula = forms.CharField(label=gettext_lazy("Cédula"), required=False, max_length=20)
    email = forms.CharField(label=gettext_lazy("E-mail"), required=False, max_length=254)
    phone = forms.CharField(label=gettext_lazy("Phone"), required=False, max_length=30)
    reference = forms.CharField(
        label=gettext_lazy("Reference of the request"),
        required=False,
        max_length=REFERENCE_MAX,
        help_text=gettext_lazy("E.g. Solicitud 2026-014. Required to erase; recorded in the audit trail."),
    )

    def clean(self):
        data = super().clean()
        try:
            data["query"] = Query.parse(
                cedula=data.get("cedula", ""), email=data.get("email", ""), phone=data.get("phone", "")
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    for error in errors:
                        self.add_error(name, error)
            else:
                raise
        return data
