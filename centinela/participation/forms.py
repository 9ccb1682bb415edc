"""Forms for citizen reports: the public report (fields checked here, next to each field, with the same checks the
service makes again), the reporter's added information, and staff triage (update, assignment, public text)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centinela.lib.uploads import size_limit
from centinela.participation import challenge, channels, selectors, services
from centinela.participation.models import DESCRIPTION_MAX, MAX_PHOTOS, Report


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files in one input: each goes through the field's own checks (the upload size limit among them)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(PhotosField, self).clean(f, initial) for f in files if f]


class Honeypot(forms.CharField):
    """Hidden from people by the stylesheet; form-filling robots fill it, and their submissions are dropped."""

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            label=_("Website"),
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
            **kwargs,
        )


PHONE = RegexValidator(r"^\+?[0-9 ()-]{7,20}$", _("Write a phone number with digits only (7 to 20)."))
CHOOSE_CATEGORY = _("Choose one of the categories.")


def _field_errors(form, check, *args):
    try:
        return check(*args)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    return None


class ReportForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("What is happening?"),
        queryset=selectors.categories(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": CHOOSE_CATEGORY, "invalid_choice": CHOOSE_CATEGORY},
    )
    lat = forms.FloatField(
        label=_("Latitude"), required=False, widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"})
    )
    lon = forms.FloatField(
        label=_("Longitude"), required=False, widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"})
    )
    description = forms.CharField(
        label=_("Describe it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": DESCRIPTION_MAX}),
        help_text=_("Where exactly, since when, at what times. Do not write names or phone numbers of other people."),
    )
    camera_code = forms.CharField(
        label=_("Camera code (optional)"),
        required=False,
        max_length=40,
        help_text=_("For a damaged camera: the code painted on the camera or its pole, if you can read it."),
    )
    photos = PhotosField(label=_("Photos (optional, up to 3)"), required=False, validators=[size_limit])
    contact_name = forms.CharField(label=_("Your name"), required=False, max_length=120)
    contact_phone = forms.CharField(label=_("Your phone"), required=False, max_length=20, validators=[PHONE])
    contact_email = forms.EmailField(label=_("Your e-mail"), required=False)
    consent = forms.BooleanField(
        label=_("I accept that the council uses my contact data only to follow up this report."), required=False
    )
    notify_by = forms.ChoiceField(label=_("Notify me by"), required=False, widget=forms.RadioSelect, initial="email")
    challenge_answer = forms.CharField(
        label=_("To check that you are a person"),
        required=False,
        max_length=3,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 3}),
    )
    website = Honeypot()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notify_by"].choices = [(c.code, c.label) for c in channels.available()]
        self.challenge = challenge.new()  # a new question on every page, the answered one is spent

    @property
    def offers_channels(self) -> bool:
        return len(self.fields["notify_by"].choices) > 1

    def clean_description(self):
        return self.cleaned_data.get("description", "")

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        if len(photos) > MAX_PHOTOS:
            raise ValidationError(_("At most %(n)s photos.") % {"n": MAX_PHOTOS})
        return photos

    def clean(self):
        data = super().clean()
        if "lat" not in self.errors and "lon" not in self.errors:
            _field_errors(self, services.check_location, data.get("lon"), data.get("lat"))
        _field_errors(self, services.check_description, data.get("description", ""))
        _field_errors(self, services.check_contact, self.contact())
        _field_errors(self, services.camera_from_code, data.get("category"), data.get("camera_code", ""))
        if not self.errors:  # the question last: with other errors the page asks a new one anyway
            try:
                challenge.check(self.data.get("challenge_token", ""), data.get("challenge_answer", ""))
            except challenge.Failed as exc:
                self.add_error("challenge_answer", str(exc))
        return data

    def contact(self) -> services.Contact:
        data = self.cleaned_data
        return services.Contact(
            name=data.get("contact_name", "") or "",
            phone=data.get("contact_phone", "") or "",
            email=data.get("contact_email", "") or "",
            consent=bool(data.get("consent")),
            notify_by=data.get("notify_by") or "email",
        )

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))


class ReporterInformationForm(forms.Form):
    text = forms.CharField(
        label=_("Add information"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": DESCRIPTION_MAX}),
    )
    website = Honeypot()

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))


VISIBILITY = [
    ("public", _("Public update (the reporter reads it)")),
    ("question", _("Question to the reporter (answered on the tracking page)")),
    ("note", _("Internal note (staff only)")),
]


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How was your report resolved?"),
        choices=[(k, f"{k} · {v}") for k, v in services.RATINGS.items()],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5."),
            "invalid_choice": _("Choose a rating from 1 to 5."),
        },
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
    )
    website = Honeypot()

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))


class UpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"))
    visibility = forms.ChoiceField(
        label=_("Visible to"), choices=VISIBILITY, initial="public", widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 3, "maxlength": DESCRIPTION_MAX})
    )

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = {report.status} | services.TRANSITIONS.get(report.status, set())
        self.fields["status"].choices = [(v, label) for v, label in Report.Status.choices if v in allowed]
        self.fields["status"].initial = report.status


class AssignForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=selectors.institution_choices(), required=False
    )
    person = forms.ModelChoiceField(label=_("Person"), queryset=selectors.person_choices(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].label_from_instance = lambda u: u.get_full_name() or u.username


class PublicTextForm(forms.Form):
    public_text = forms.CharField(
        label=_("Public text"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": DESCRIPTION_MAX}),
        help_text=_("What the reporter reads. Remove names, phone numbers or insults; the original stays for staff."),
    )


class PublishForm(forms.Form):
    published = forms.BooleanField(
        label=_("Published on the public map and in the open data"),
        required=False,
        help_text=_("Read the public text first. Sensitive categories are shown only as counts per barrio."),
    )


class MergeForm(forms.Form):
    """Merge this report into another (the kept one), among the reports the user sees."""

    keep = forms.ModelChoiceField(label=_("Keep report"), queryset=Report.objects.none())

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = queryset


class CameraForm(forms.Form):
    """Triage of a "cámara dañada" report: one of the nearest cameras, or any other by its code."""

    camera = forms.ModelChoiceField(label=_("Nearby camera"), queryset=None, required=False)
    code = forms.CharField(label=_("Or its code"), required=False, max_length=40)

    def __init__(self, *args, user, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.report = user, report
        self.nearby = selectors.nearby_cameras(user, report)
        distance = {d.pk: metres for d, metres in self.nearby}
        self.fields["camera"].queryset = selectors.cameras_for(user).filter(pk__in=list(distance))
        self.fields["camera"].label_from_instance = lambda d: f"{d.code} · {d.name} · {distance.get(d.pk, 0):.0f} m"

    def clean(self):
        data = super().clean()
        code = (data.get("code") or "").strip()
        if code:
            if not services.is_camera_report(self.report):
                self.add_error("code", _("Only a report of the category “Cámara dañada” names a camera."))
                return data
            try:
                data["camera"] = services.camera_from_code(self.report.category, code, selectors.cameras_for(self.user))
            except ValidationError as exc:
                self.add_error("code", exc.message_dict["camera_code"])
        elif not data.get("camera") and "camera" not in self.errors:
            raise ValidationError(_("Choose a camera, or write its code."))
        return data


class AnswerForm(forms.Form):
    """Link an activity that answered the report: those suggested (its parish, from a month before on)."""

    activity = forms.ModelChoiceField(label=_("Activity"), queryset=None)

    def __init__(self, *args, user, report, **kwargs):
        super().__init__(*args, **kwargs)
        suggested = list(selectors.activity_suggestions(user, report).values_list("pk", flat=True))
        field = self.fields["activity"]
        field.queryset = selectors.visible_activities(user).filter(pk__in=suggested)
        order = {pk: i for i, pk in enumerate(suggested)}
        field.choices = [("", "---------")] + sorted(
            [(a.pk, f"{timezone.localtime(a.starts_at):%d/%m/%Y} · {a.title}") for a in field.queryset],
            key=lambda c: order[c[0]],
        )
