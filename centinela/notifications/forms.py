from django import forms

from centinela.accounts.models import User
from centinela.notifications.models import Preference


class PreferenceForm(forms.ModelForm):
    """The digest on or off, and the language of the e-mails (a field of the account)."""

    language = User._meta.get_field("language").formfield()

    class Meta:
        model = Preference
        fields = ["daily_digest"]
