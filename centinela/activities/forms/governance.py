"""Forms of the governance pages: they check fields; services.governance apply the rules and the permission check
(their errors come back next to the field, keeping what was typed)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from centinela.accounts.models import User
from centinela.accounts.permissions import scope
from centinela.activities.evidence import check_upload
from centinela.activities.models import Activity, CouncilSession, Resolution, WorkingGroup, WorkingGroupMember
from centinela.activities.selectors import governance as selectors
from centinela.activities.services import governance as services
from centinela.lib.dates import DatePicker, DateTimePicker
from centinela.lib.uploads import size_limit
from centinela.partners.models import Institution
from centinela.territory.models import Place

DATE = DatePicker()
DATETIME = DateTimePicker()


class WorkingGroupForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = selectors.programme_choices(user)

    class Meta:
        model = WorkingGroup
        fields = ["programme", "name", "purpose", "formed_on"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3}), "formed_on": DATE}


class MemberForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = scope(user, Institution.objects.filter(active=True))

    class Meta:
        model = WorkingGroupMember
        fields = ["institution", "representative", "role"]


class MeetingForm(forms.ModelForm):
    minutes_file = forms.FileField(
        label=_("Signed minutes (file)"),
        required=False,
        help_text=_("PDF, DOCX, ODT or a photo of the signed minutes."),
        validators=[size_limit],
    )
    minutes_title = forms.CharField(label=_("Title of the file"), max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = scope(user, Place.objects.all()).order_by("name")
        self.fields["description"].label = _("Minutes")
        self.fields["description"].help_text = _("What was discussed and agreed.")

    def clean_minutes_file(self):
        uploaded = self.cleaned_data.get("minutes_file")
        if uploaded:
            check_upload(uploaded, photo=False)  # the same check add_evidence makes, here to answer next to the field
            uploaded.seek(0)
        return uploaded

    def save(self, commit=True):
        meeting = super().save(commit=False)
        # read by services.governance.save_meeting, which form_view calls with the meeting alone
        meeting.minutes_upload = (self.cleaned_data.get("minutes_file"), self.cleaned_data.get("minutes_title", ""))
        if commit:
            meeting.save()
        return meeting

    class Meta:
        model = Activity
        fields = ["title", "starts_at", "ends_at", "place", "status", "status_reason", "description"]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME, "description": forms.Textarea(attrs={"rows": 8})}


class SessionForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        kwargs.pop("user", None)
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.order_by("name")

    def clean(self):
        data = super().clean()
        try:  # here, so a repeated number is said next to the field rather than as a constraint's message
            services.check_session(
                CouncilSession(pk=self.instance.pk, kind=data.get("kind"), number=data.get("number"))
            )
        except forms.ValidationError as exc:
            self.add_error(None, exc)
        return data

    class Meta:
        model = CouncilSession
        fields = ["kind", "number", "held_at", "place", "agenda", "minutes"]
        widgets = {
            "held_at": DATETIME,
            "agenda": forms.Textarea(attrs={"rows": 6}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }


class ResolutionForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_institution"].queryset = scope(user, Institution.objects.filter(active=True))
        self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by(
            "first_name", "last_name", "username"
        )
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username

    class Meta:
        model = Resolution
        fields = ["number", "text", "owner_institution", "owner", "due_on", "status", "done_on", "follow_up"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "follow_up": forms.Textarea(attrs={"rows": 4}),
            "due_on": DATE,
            "done_on": DATE,
        }


class AttendanceForm(forms.Form):
    """One line per institution on the sheet (see selectors.governance.attendance_rows): present, and who came."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            pk = row["institution"].pk
            self.fields[f"present_{pk}"] = forms.BooleanField(
                label=row["institution"].name, required=False, initial=row["present"]
            )
            self.fields[f"representative_{pk}"] = forms.CharField(
                label=_("Representative"), max_length=160, required=False, initial=row["representative"]
            )

    def lines(self):
        """(institution, present field, representative field) for the template."""
        return [
            (r["institution"], self[f"present_{r['institution'].pk}"], self[f"representative_{r['institution'].pk}"])
            for r in self.rows
        ]

    def attendance(self):
        """(institution, present, representative) for services.governance.record_attendance."""
        data = self.cleaned_data
        return [
            (
                r["institution"],
                data[f"present_{r['institution'].pk}"],
                data[f"representative_{r['institution'].pk}"].strip(),
            )
            for r in self.rows
        ]
