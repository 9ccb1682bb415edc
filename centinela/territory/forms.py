from django import forms
from django.utils.translation import gettext_lazy as _

from centinela.accounts.permissions import scope
from centinela.territory.models import Barrio, Parish, Place


class PlaceForm(forms.ModelForm):
    class Meta:
        model = Place
        fields = ["name", "kind", "lat", "lon", "address", "notes", "location_verified"]
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
