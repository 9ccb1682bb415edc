"""The indicators page's filter form: period (month, quarter, year or a range), rows, parish, category group or
category, and what the trend is drawn by; choices within the user's scope."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.incidents.models import Category
from centinela.lib import dates
from centinela.observatory import indicators


def month_name(i):
    from django.utils.dates import MONTHS as NAMES

    return str(NAMES[i]).capitalize()


PERIODS = [
    ("month", gettext_lazy("Month")),
    ("quarter", gettext_lazy("Quarter")),
    ("year", gettext_lazy("Year")),
    ("range", gettext_lazy("Date range")),
]


BREAKDOWNS = [
    ("parish", gettext_lazy("Parish")),
    ("barrio", gettext_lazy("Barrio")),
    ("group", gettext_lazy("Category group")),
    ("category", gettext_lazy("Category")),
]


SERIES = [("group", gettext_lazy("Category group")), ("parish", gettext_lazy("Parish"))]


MAX_RANGE_DAYS = 366 * 20


class IndicatorForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=PERIODS)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100, required=False)
    month = forms.TypedChoiceField(
        label=gettext_lazy("Month"), coerce=int, required=False, choices=[(i, i) for i in range(1, 13)]
    )
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("Quarter"), coerce=int, required=False, choices=[(q, f"T{q}") for q in range(1, 5)]
    )
    start = dates.DateField(label=gettext_lazy("From"), required=False, widget=dates.DatePicker())
    end = dates.DateField(label=gettext_lazy("To"), required=False, widget=dates.DatePicker())
    by = forms.ChoiceField(label=gettext_lazy("Rows"), choices=BREAKDOWNS)
    parish = forms.ChoiceField(
        label=gettext_lazy("Parish"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Unknown parish: %(value)s.")},
    )
    group = forms.ChoiceField(
        label=gettext_lazy("Category group"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Unknown category group: %(value)s.")},
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Unknown category: %(value)s.")},
    )
    series = forms.ChoiceField(label=gettext_lazy("Trend by"), choices=SERIES)

    def __init__(self, data, *, user, **kwargs):
        self.user = user
        self.parishes = {p.code: p for p in indicators.scoped_parishes(user)}
        self.categories = {c.code: c for c in Category.objects.filter(active=True)}
        super().__init__(data, **kwargs)
        self.fields["month"].choices = [(i, month_name(i)) for i in range(1, 13)]
        self.fields["quarter"].choices = [(q, _("Q%(q)s") % {"q": q}) for q in range(1, 5)]
        if len(self.parishes) > 1:
            self.fields["parish"].choices = [("", _("All parishes"))] + [(c, p.name) for c, p in self.parishes.items()]
        else:
            self.fields["parish"].choices = [(c, p.name) for c, p in self.parishes.items()]
        self.fields["group"].choices = [("", _("All groups"))] + list(Category.Group.choices)
        self.fields["category"].choices = [("", _("All categories"))] + [
            (c, str(cat)) for c, cat in self.categories.items()
        ]

    def clean(self):
        data = super().clean()
        kind, year = data.get("period"), data.get("year")
        if kind in ("month", "quarter", "year") and not year:
            raise forms.ValidationError(_("Choose a year."))
        if kind == "month":
            if not data.get("month"):
                raise forms.ValidationError(_("Choose a month."))
            data["the_period"] = indicators.month_period(year, data["month"])
        elif kind == "quarter":
            if not data.get("quarter"):
                raise forms.ValidationError(_("Choose a quarter."))
            data["the_period"] = indicators.quarter_period(year, data["quarter"])
        elif kind == "year":
            data["the_period"] = indicators.year_period(year)
        elif kind == "range":
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
            data["the_period"] = indicators.Period(start, end, "range")
        period = data.get("the_period")
        if period and period.start > timezone.localdate():
            raise forms.ValidationError(_("The period starts after today: there is nothing to count yet."))
        data["parish_obj"] = self.parishes.get(data.get("parish") or "")
        data["category_obj"] = self.categories.get(data.get("category") or "")
        return data

    def filters(self):
        d = self.cleaned_data
        return {"parish": d["parish_obj"], "group": d.get("group") or None, "category": d["category_obj"]}
