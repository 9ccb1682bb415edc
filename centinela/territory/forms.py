from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from centinela.accounts.permissions import is_staff, scope
from centinela.lib.uploads import size_limit
from centinela.territory.models import Barrio, BarrioPopulation, Parish, ParishPopulation, Place


class PlaceForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # what anyone may find in the public place search is the council's staff's choice (a parish president's
        # new place stays private, and an edit of theirs keeps what staff chose)
        if not is_staff(user):
            del self.fields["public"]

    class Meta:
        model = Place
        fields = ["name", "kind", "lat", "lon", "address", "notes", "location_verified", "public"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"lat": _("Click the map to set the point."), "lon": ""}


class BarrioForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parish"].queryset = scope(user, Parish.objects.all())
        self.fields["centre_lat"].required = self.fields["centre_lon"].required = True

    class Meta:
        model = Barrio
        fields = ["code", "name", "parish", "centre_lat", "centre_lon", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ParishForm(forms.ModelForm):
    class Meta:
        model = Parish
        fields = ["name", "seat", "kind", "centre_lat", "centre_lon", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


def _https_by_default(field, **kwargs):
    """A source address typed without a scheme is read as https (Django 6's default, chosen now)."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


POPULATION_FIELDS = ["year", "population", "kind", "source", "source_url"]
POPULATION_HELP = {
    "kind": _("A census is INEC's count; an estimate is any other figure (the municipality's, a projection)."),
    "source": _("Who published the figure and where: the table, the report, the method of an estimate."),
}


class ParishPopulationForm(forms.ModelForm):
    class Meta:
        model = ParishPopulation
        fields = POPULATION_FIELDS
        help_texts = POPULATION_HELP
        formfield_callback = _https_by_default


class BarrioPopulationForm(forms.ModelForm):
    class Meta:
        model = BarrioPopulation
        fields = POPULATION_FIELDS
        help_texts = POPULATION_HELP
        formfield_callback = _https_by_default


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(label=_("File (GeoJSON, zipped Shapefile or GeoPackage)"), validators=[size_limit])
    level = forms.ChoiceField(label=_("Level"), choices=[("parish", _("Parishes")), ("barrio", _("Barrios"))])
    name_field = forms.CharField(label=_("Name field"), max_length=60, initial="nombre")
    code_field = forms.CharField(label=_("Code field"), max_length=60, initial="codigo")
