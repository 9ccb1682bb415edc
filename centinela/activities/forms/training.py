"""Forms of the training pages: a training and its speakers, its status, people (by staff and at check-in), the
sign-in sheet and the coverage period."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy  # spelled out: makemessages does not know an alias such as _l

from centinela.activities.cedula import validate_cedula
from centinela.activities.models import Activity, Attendance, Person
from centinela.activities.selectors import training as selectors
from centinela.activities.services import training as services
from centinela.lib import dates
from centinela.lib.uploads import size_limit
from centinela.partners.models import Institution
from centinela.territory.models import Barrio

DATETIME = dates.DateTimePicker()
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
DATE = dates.DatePicker()


class TrainingForm(forms.ModelForm):
    """One form for the Activity (kind training) and its Training row."""

    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=250)
    audience = forms.CharField(
        label=gettext_lazy("Audience"),
        max_length=250,
        required=False,
        help_text=gettext_lazy("Who the training is for, e.g. barrio leaders and residents."),
    )
    hours = forms.DecimalField(label=gettext_lazy("Hours"), max_digits=5, decimal_places=1, min_value=0, initial=2)
    institutions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Invited institutions"),
        queryset=Institution.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = [
        "programme",
        "topic",
        "title",
        "audience",
        "starts_at",
        "ends_at",
        "hours",
        "place",
        "parish",
        "barrios",
        "institutions",
        "description",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = selectors.training_programmes(user)
        self.fields["place"].queryset = selectors.places_for(user)
        self.fields["parish"].queryset = selectors.parishes_for(user)
        self.fields["barrios"].queryset = selectors.barrios_for(user)
        self.fields["barrios"].label_from_instance = lambda b: f"{b.name} ({b.parish.name})"
        self.fields["title"].required = False
        self.fields["title"].help_text = gettext_lazy("Empty: the topic.")
        self.fields["place"].help_text = gettext_lazy(
            "The venue, e.g. Salón de los Alcaldes. The parish follows from it."
        )
        self.fields["institutions"].label_from_instance = lambda i: i.name
        if selectors.is_parish_president(user):
            self.fields["parish"].required = True
            self.fields["parish"].initial = user.parish_id
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = DATETIME_FORMATS

    class Meta:
        model = Activity
        fields = ["programme", "title", "description", "starts_at", "ends_at", "place", "parish", "barrios"]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 3}),
            "barrios": forms.CheckboxSelectMultiple,
        }


class SpeakerForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=gettext_lazy("Institution"), queryset=Institution.objects.filter(active=True), required=False
    )
    name = forms.CharField(label=gettext_lazy("Speaker"), max_length=160, required=False)
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=250, required=False)

    def clean(self):
        data = super().clean()
        if (data.get("name") or data.get("subject")) and not data.get("institution"):
            self.add_error("institution", _("Say which institution the speaker comes from."))
        if data.get("institution") and not data.get("name"):
            self.add_error("name", _("Write the speaker's name."))
        return data


SpeakerFormSet = forms.formset_factory(SpeakerForm, extra=2, can_delete=True)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Activity.Status.choices)
    reason = forms.CharField(label=gettext_lazy("Reason (if postponed or cancelled)"), max_length=250, required=False)


class PersonForm(forms.Form):
    """Shared by staff registration and self check-in: names, cédula (optional under 18), disaggregation, consent."""

    first_names = forms.CharField(label=gettext_lazy("First names"), max_length=120)
    last_names = forms.CharField(label=gettext_lazy("Last names"), max_length=120)
    cedula = forms.CharField(
        label=gettext_lazy("Cédula"),
        max_length=13,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=gettext_lazy("Optional for minors."),
    )
    age_band = forms.ChoiceField(
        label=gettext_lazy("Age band"), choices=[("", "—")] + Person.AgeBand.choices, required=False
    )
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=[("", "—")] + Person.Sex.choices, required=False)
    barrio = forms.ModelChoiceField(label=gettext_lazy("Barrio"), queryset=Barrio.objects.none(), required=False)
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=Attendance.Role.choices, initial=Attendance.Role.RESIDENT
    )
    consent = forms.BooleanField(
        label=gettext_lazy("Consents to the processing of their personal data (for a minor, their parent or guardian)"),
        error_messages={
            "required": gettext_lazy("Without consent to data processing the person's data cannot be stored.")
        },
    )

    def __init__(self, *args, barrios, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["barrio"].queryset = barrios
        self.fields["barrio"].label_from_instance = lambda b: f"{b.name} ({b.parish.name})"

    def clean_cedula(self):
        value = "".join(self.cleaned_data["cedula"].split()).replace("-", "")
        validate_cedula(value)
        return value

    def clean(self):
        data = super().clean()
        if not data.get("cedula") and data.get("age_band") != Person.AgeBand.UNDER_18 and "cedula" not in self.errors:
            self.add_error("cedula", _("The cédula is required for adults."))
        return data

    def person_data(self) -> services.PersonData:
        d = self.cleaned_data
        return services.PersonData(
            first_names=d["first_names"],
            last_names=d["last_names"],
            cedula=d["cedula"],
            age_band=d["age_band"],
            sex=d["sex"],
            barrio=d["barrio"],
            phone=d.get("phone", ""),
            consent=d["consent"],
        )


class StaffPersonForm(PersonForm):
    phone = forms.CharField(
        label=gettext_lazy("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    institution = forms.ModelChoiceField(
        label=gettext_lazy("Institution"), queryset=Institution.objects.filter(active=True), required=False
    )
    participation = forms.ChoiceField(
        label=gettext_lazy("Took part as"),
        choices=Attendance.Participation.choices,
        initial=Attendance.Participation.TRAINEE,
        required=False,  # a client that does not send it (older pages, scripts) registers a trainee, as before
        help_text=gettext_lazy(
            "Support: came with the speakers to inform the attendees (e.g. police officers or firefighters the "
            "council asked to come); not counted among the people trained."
        ),
    )
    present = forms.BooleanField(
        label=gettext_lazy("Present now"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Untick to register the person ahead of the session."),
    )
    field_order = [
        "first_names",
        "last_names",
        "cedula",
        "age_band",
        "sex",
        "barrio",
        "phone",
        "role",
        "institution",
        "participation",
        "consent",
        "present",
    ]

    def clean(self):
        data = super().clean()
        # An unticked checkbox is simply absent from a POST. The page's form says it showed the box (present_shown);
        # a client that never showed it (older pages, scripts) means "present", as before.
        if self.data.get(self.add_prefix("present_shown")) != "1":
            data["present"] = True
        return data


class SheetForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Attendance sheet (CSV or XLSX)"), validators=[size_limit])


class CheckInForm(PersonForm):
    # How the person attends, in the words of the public page rather than the model's labels (a police officer
    # scanning the code recognises "personal de apoyo" sooner than "apoyo a los expositores").
    participation = forms.ChoiceField(
        label=gettext_lazy("I attend as"),
        choices=[
            (Attendance.Participation.TRAINEE, gettext_lazy("Participant")),
            (Attendance.Participation.SUPPORT, gettext_lazy("Support staff (Police, Fire brigade, ECU 911…)")),
        ],
        initial=Attendance.Participation.TRAINEE,
        widget=forms.RadioSelect,
        required=False,  # a page loaded before the choice existed registers a trainee, as before
        help_text=gettext_lazy(
            "Support staff: you came with the speakers to help deliver the training; you are not counted among the "
            "people trained and receive no certificate."
        ),
    )
    # Hidden from people by the stylesheet; form-filling robots fill it, and their submissions are dropped.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))
    field_order = [
        "first_names",
        "last_names",
        "cedula",
        "age_band",
        "sex",
        "barrio",
        "role",
        "participation",
        "consent",
        "website",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "role" in self.fields:
            self.fields["role"].choices = [(r.value, r.label) for r in services.PUBLIC_ROLES]

    def clean_participation(self):
        return self.cleaned_data["participation"] or Attendance.Participation.TRAINEE


class PeriodForm(forms.Form):
    desde = dates.DateField(label=gettext_lazy("From"), widget=DATE)
    hasta = dates.DateField(label=gettext_lazy("To"), widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("desde") and data.get("hasta") and data["hasta"] < data["desde"]:
            raise ValidationError(_("The period ends before it starts."))
        return data
