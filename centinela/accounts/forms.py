"""Forms of the account pages: the administrator's user form, the second factor's code."""

from django import forms
from django.utils.translation import gettext_lazy as _

from centinela.accounts.models import User


class UserForm(forms.ModelForm):
    send_link = forms.BooleanField(
        label=_("Send a link to set the password"),
        required=False,
        initial=True,
        help_text=_("By e-mail, now. The account cannot log in before its password is set."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        Institution = User._meta.get_field("institution").related_model  # partners' (accounts imports no app above)

        self.fields["institution"].queryset = Institution.objects.filter(active=True) | Institution.objects.filter(
            pk=self.instance.institution_id or 0
        )
        self.fields["email"].required = True
        if self.instance.pk:
            del self.fields["send_link"]

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "institution", "parish", "phone", "cedula"]


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        strip=True,
        help_text=_("The six digits your authenticator app shows now, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
