"""Forms of the incident registry: an incident by hand, its status, import profiles and the upload page."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from centinela.incidents.importer import MAPPED, TIME
from centinela.incidents.models import Category, ImportProfile, Incident
from centinela.lib.dates import DateTimePicker
from centinela.lib.uploads import size_limit

DATETIME = DateTimePicker()
FIELD_LABELS = {
    "source_ref": _("Source reference column"),
    "occurred_at": _("Date and time column"),
    TIME: _("Time column"),
    "reported_at": _("Report date column"),
    "category": _("Category column"),
    "lon": _("Longitude column"),
    "lat": _("Latitude column"),
    "address": _("Address column"),
    "precision": _("Precision column"),
}


class IncidentForm(forms.ModelForm):
    lat = forms.FloatField(
        label=_("latitude"),
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any"}),
        help_text=_("Click the map to set the point. Parish and barrio are assigned from it."),
    )
    lon = forms.FloatField(
        label=_("longitude"), min_value=-180, max_value=180, widget=forms.NumberInput(attrs={"step": "any"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        active = Category.objects.filter(active=True)
        if self.instance.pk and self.instance.category_id:  # an incident keeps its category if it was retired
            active = active | Category.objects.filter(pk=self.instance.category_id)
        self.fields["category"].queryset = active.order_by("group", "name")

    def clean(self):
        data = super().clean()
        occurred, reported = data.get("occurred_at"), data.get("reported_at")
        if occurred and reported and reported < occurred:
            self.add_error("reported_at", _("The report cannot come before the incident."))
        return data

    class Meta:
        model = Incident
        fields = [
            "category",
            "occurred_at",
            "reported_at",
            "source",
            "source_ref",
            "lat",
            "lon",
            "address",
            "precision",
        ]
        widgets = {"occurred_at": DATETIME, "reported_at": DATETIME}


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[])

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(c, Incident.Status(c).label) for c in choices]


def _pairs_text(mapping: dict) -> str:
    return "\n".join(f"{k} = {v}" for k, v in mapping.items())


class ImportProfileForm(forms.ModelForm):
    """The column mapping as one field per incident field; the category values as "file value = category code"
    lines."""

    category_text = forms.CharField(
        label=_("Category value mapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line: value in the file = category code (e.g. Robo a personas (DMCS) = robo-personas)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in MAPPED:
            self.fields[f"col_{field}"] = forms.CharField(
                label=FIELD_LABELS[field],
                required=field in ("occurred_at", "category", "lon", "lat"),
                max_length=100,
                initial=(self.instance.columns or {}).get(field, ""),
            )
        self.fields[f"col_{TIME}"].help_text = _(
            "Only when the file keeps the time in a column of its own: it is joined to the date column (read as "
            "H:MM or H:MM:SS), and the date format then describes the date column alone (e.g. %d/%m/%Y)."
        )
        self.fields["category_text"].initial = _pairs_text(self.instance.category_values or {})
        self.fields["default_precision"] = forms.ChoiceField(
            label=_("default precision"), choices=Incident.Precision.choices
        )
        self.order_fields(
            ["name", "source", *[f"col_{f}" for f in MAPPED], "date_format", "category_text", "default_precision"]
        )

    def clean_category_text(self):
        mapping, codes = {}, {c.lower() for c in Category.objects.values_list("code", flat=True)}
        errors = []
        for number, line in enumerate(self.cleaned_data["category_text"].splitlines(), start=1):
            if not line.strip():
                continue
            value, sep, code = line.rpartition("=")
            if not sep or not value.strip() or not code.strip():
                errors.append(_("Line %(n)s: write value = category code.") % {"n": number})
            elif code.strip().lower() not in codes:
                errors.append(_("Line %(n)s: unknown category code %(code)s.") % {"n": number, "code": code.strip()})
            else:
                mapping[value.strip()] = code.strip().lower()
        if errors:
            raise ValidationError(errors)
        return mapping

    def clean_date_format(self):
        from datetime import datetime

        fmt = self.cleaned_data["date_format"].strip()
        if fmt:
            sample = datetime(2021, 2, 3, 22, 15)
            try:
                if datetime.strptime(sample.strftime(fmt), fmt).date() != sample.date():
                    raise ValueError
            except ValueError as exc:
                raise ValidationError(
                    _("This format does not read a date back (use %%d/%%m/%%Y %%H:%%M and the like).")
                ) from exc
        return fmt

    def save(self, commit=True):
        profile = super().save(commit=False)
        profile.columns = {
            f: self.cleaned_data[f"col_{f}"].strip() for f in MAPPED if self.cleaned_data.get(f"col_{f}", "").strip()
        }
        profile.category_values = self.cleaned_data["category_text"]
        if commit:
            profile.save()
        return profile

    class Meta:
        model = ImportProfile
        fields = ["name", "source", "date_format", "default_precision"]


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"), validators=[size_limit])
    profile = forms.ModelChoiceField(label=_("Import profile"), queryset=ImportProfile.objects.select_related("source"))

    def clean_profile(self):
        return self.cleaned_data["profile"].pk  # kept in the session between the preview and the confirmation
