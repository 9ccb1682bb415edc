"""The citizen participation page's filter form: a year or a date range, and a parish within the user's scope."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.lib import dates
from centinela.observatory import indicators

PERIODS = [("year", gettext_lazy("Year")), ("range", gettext_lazy("Date range"))]
MAX_RANGE_DAYS = 366 * 20


class ParticipationForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=PERIODS)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100, required=False)
    start = dates.DateField(label=gettext_lazy("From"), required=False, widget=dates.DatePicker())
    end = dates.DateField(label=gettext_lazy("To"), required=False, widget=dates.DatePicker())
    parish = forms.ChoiceField(
        label=gettext_lazy("Parish"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Unknown parish: %(value)s.")},
    )

    def __init__(self, data, *, user, **kwargs):
        self.parishes = {p.code: p for p in indicators.scoped_parishes(user)}
        super().__init__(data, **kwargs)
        if len(self.parishes) > 1:
            self.fields["parish"].choices = [("", _("All parishes"))] + [(c, p.name) for c, p in self.parishes.items()]
        else:
            self.fields["parish"].choices = [(c, p.name) for c, p in self.parishes.items()]

    def clean(self):
        data = super().clean()
        if data.get("period") == "year":
            year = data.get("year")
            if not year:
                raise forms.ValidationError(_("Choose a year."))
            data["start"], data["end"] = date(year, 1, 1), date(year, 12, 31)
        elif data.get("period") == "range":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Give both a start and an end date for a date range."))
            if end < start:
                raise forms.ValidationError(
                    _("The end date (%(end)s) is before the start date (%(start)s).")
                    % {"end": end.strftime("%d/%m/%Y"), "start": start.strftime("%d/%m/%Y")}
                )
            if (end - start).days > MAX_RANGE_DAYS:
                raise forms.ValidationError(_("The date range is too long: at most 20 years."))
        if data.get("start") and data["start"] > timezone.localdate():
            raise forms.ValidationError(_("The period starts after today: there is nothing to count yet."))
        data["parish_obj"] = self.parishes.get(data.get("parish") or "")
        return data
