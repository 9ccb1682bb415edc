"""Forms for partners: they check fields and say what is wrong next to the field; the services apply the rules
and the permission check again, for callers that are not forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from centinela.accounts.permissions import can_see_personal_data
from centinela.lib.dates import DatePicker
from centinela.partners import selectors, services
from centinela.partners.models import Agreement, ContactPerson, Institution, Obligation, contribution_model

DATE = DatePicker()


def activity_label(activity):
    return f"{activity.starts_at:%d/%m/%Y} · {activity.title}"


class InstitutionForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Institution
        fields = ["name", "short_name", "kind", "is_council_member", "place", "website", "notes", "active"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ContactForm(forms.ModelForm):
    """Whoever may not see personal data (LOPDP) may type a new contact's e-mail and phone, but not read or change
    them afterwards: on an existing contact those fields are left out and keep their values."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not can_see_personal_data(user):
            del self.fields["email"], self.fields["phone"]

    class Meta:
        model = ContactPerson
        fields = ["name", "position", "email", "phone"]


class AgreementForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        try:
            services.check_agreement_dates(
                Agreement(signed_on=data.get("signed_on"), valid_until=data.get("valid_until"))
            )
        except forms.ValidationError as exc:
            self.add_error(None, exc)  # a dict of field errors: each lands on its field
        return data

    class Meta:
        model = Agreement
        fields = ["code", "title", "counterpart", "purpose", "signed_on", "valid_until", "warn_days", "notes"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "signed_on": DATE,
            "valid_until": DATE,
        }


class ObligationForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["activities"]
        field.queryset = selectors.activity_choices(user)
        field.label_from_instance = activity_label
        field.widget.attrs["size"] = 10
        field.help_text = _("Hold Ctrl (or Cmd) to choose several.")

    def clean(self):
        data = super().clean()
        if self.instance.agreement_id:
            try:
                services.check_obligation_dates(
                    Obligation(agreement=self.instance.agreement, due_on=data.get("due_on"))
                )
            except forms.ValidationError as exc:
                self.add_error(None, exc)
        return data

    def save(self, commit=True):
        obligation = super().save(commit=False)
        obligation.chosen_activities = list(self.cleaned_data["activities"])  # set by services.save_obligation
        if commit:
            obligation.save()
            obligation.activities.set(obligation.chosen_activities)
        return obligation

    class Meta:
        model = Obligation
        fields = ["party", "description", "due_on", "activities"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_on": DATE}


class ParticipationForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = selectors.activity_choices(user)
        self.fields["activity"].label_from_instance = activity_label
        self.fields["activity"].label = _("Activity")

    class Meta:
        model = contribution_model()
        fields = ["activity", "role", "in_kind_value", "in_kind_description"]
