"""Forms for barrio committees: the committee, a member (personal data by role), a meeting with its attendance
checklist and the agreements reached, and an agreement's follow-up. Fields are checked here; the services check the
rules again, on the records themselves."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from centinela.accounts.permissions import can_see_personal_data
from centinela.lib.dates import DatePicker
from centinela.participation.committees import selectors
from centinela.participation.committees.models import (
    Committee,
    CommitteeAgreement,
    CommitteeMeeting,
    CommitteeMember,
)
from centinela.participation.committees.services import AgreementDraft

DATE = DatePicker()
TIME = forms.TimeInput(format="%H:%M", attrs={"type": "time"})


class BarrioChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.parish.name}"


class CommitteeForm(forms.ModelForm):
    barrio = BarrioChoice(label=_("Barrio"), queryset=None)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["barrio"].queryset = selectors.barrio_choices(user)

    class Meta:
        model = Committee
        fields = ["name", "barrio", "founded_on", "active", "notes"]
        widgets = {"founded_on": DATE, "notes": forms.Textarea(attrs={"rows": 4})}


class MemberForm(forms.ModelForm):
    """Those who may not see personal data (LOPDP) never read a member's cédula, phone or e-mail here either: the
    fields come empty, and left empty they keep what is recorded; what they write replaces it."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hides_personal = not can_see_personal_data(user)
        if self.hides_personal:
            for name in CommitteeMember.PERSONAL:
                self.initial[name] = ""
                if self.instance.pk and getattr(self.instance, name):
                    self.fields[name].help_text = _("Recorded (hidden: personal data). Leave empty to keep it.")

    def clean(self):
        data = super().clean()
        if self.hides_personal and self.instance.pk:
            for name in CommitteeMember.PERSONAL:
                if not data.get(name):
                    data[name] = getattr(self.instance, name)
        return data

    class Meta:
        model = CommitteeMember
        fields = ["name", "role", "cedula", "phone", "email", "joined_on", "left_on"]
        widgets = {
            "joined_on": DATE,
            "left_on": DATE,
            "cedula": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }


class MemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_role_display()})"


class MeetingForm(forms.ModelForm):
    """The meeting and its attendance: a checkbox for each member of the committee (who had joined and not left)."""

    present = MemberChoice(
        label=_("Members present"),
        queryset=CommitteeMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        members = selectors.current_members(committee)
        if self.instance.pk:  # a past meeting: who was present then stays on the list
            members = (members | self.instance.present.all()).distinct()
            self.initial.setdefault("present", list(self.instance.present.values_list("pk", flat=True)))
        self.fields["present"].queryset = members.order_by("name")
        self.fields["held_on"].required = True
        self.fields["held_on"].error_messages["required"] = _("Say on which day the meeting was held.")
        if not self.instance.pk and not self.initial.get("held_on"):
            self.initial["held_on"] = timezone.localdate()

    class Meta:
        model = CommitteeMeeting
        fields = ["held_on", "starts_at", "place", "topics", "minutes", "guests"]
        widgets = {
            "held_on": DATE,
            "starts_at": TIME,
            "topics": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "guests": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }


class AgreementForm(forms.Form):
    text = forms.CharField(
        label=pgettext_lazy("committee", "Agreement"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    responsible = forms.CharField(label=_("Responsible"), max_length=160, required=False)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE)

    def draft(self) -> AgreementDraft | None:
        data = self.cleaned_data
        if not data.get("text", "").strip():
            if data.get("responsible") or data.get("due_on"):
                return AgreementDraft(text="", responsible=data.get("responsible", ""), due_on=data.get("due_on"))
            return None  # an empty row
        return AgreementDraft(text=data["text"], responsible=data.get("responsible", ""), due_on=data.get("due_on"))


AgreementFormSet = forms.formset_factory(AgreementForm, extra=3, max_num=20, absolute_max=20)


class FollowUpForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=CommitteeAgreement.Status.choices)
    note = forms.CharField(label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.fields["status"].initial = agreement.status
        self.fields["on"].error_messages["required"] = _("Say on which day.")
        self.fields["note"].error_messages["required"] = _("Write what was done or found.")
