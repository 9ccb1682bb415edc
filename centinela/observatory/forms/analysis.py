"""What the forms of the analysis methods share (each method's own form is in its module of `methods/`): which
incidents (dates, categories, parishes, always within the user's scope), checks and a helper for the parameters, with
defaults that suit Loja. Everything is checked in the forms, before a job is queued, so a bad value is a message next
to its field rather than a failed job; `params()` is what the job receives (JSON)."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centinela.incidents.models import Category
from centinela.lib import dates
from centinela.observatory import selectors

DATE = dates.DatePicker()
MAX_PERMUTATIONS = 9999
MIN_INCIDENTS = 3


def last_day(user) -> date:
    """The day of the latest incident the user may see (today when there is none): default periods end there, so
    the forms suit a registry loaded up to last month as well as the demo's past years."""
    from django.db.models import Max

    latest = selectors.filtered_incidents(user).aggregate(last=Max("occurred_at"))["last"]
    return timezone.localtime(latest).date() if latest else timezone.localdate()


class AnalysisForm(forms.Form):
    """The incidents an analysis looks at. Subclasses add their parameters and say which fields are periods."""

    uses_period = True  # False: the form has periods of its own (impact, accuracy)

    start = dates.DateField(
        label=_("From"),
        widget=DATE,
        required=False,
        help_text=_(
            "First day of incidents to include (empty: from the first one). The "
            "default: a year up to the latest incident."
        ),
    )
    end = dates.DateField(
        label=_("To"),
        widget=DATE,
        required=False,
        help_text=_("Last day of incidents to include (empty: up to the last one)."),
    )
    group = forms.ChoiceField(
        label=_("Category group"), required=False, choices=[("", _("All groups"))] + list(Category.Group.choices)
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories"), required=False, help_text=_("None chosen: every category.")
    )
    parishes = forms.MultipleChoiceField(
        label=_("Parishes"), required=False, help_text=_("None chosen: every parish you may see.")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from centinela.territory.selectors import parishes_for

        self.user = user
        self.fields["categories"].choices = [
            (str(c.pk), str(c)) for c in Category.objects.filter(active=True).order_by("group", "name")
        ]
        self.fields["parishes"].choices = [(str(p.pk), p.name) for p in parishes_for(user)]
        for name in ("categories", "parishes"):
            self.fields[name].widget.attrs["size"] = 6
        if not self.uses_period:
            del self.fields["start"], self.fields["end"]
        else:
            latest = last_day(user)
            self.fields["start"].initial = latest - timedelta(days=364)
            self.fields["end"].initial = latest

    # --- checks -------------------------------------------------------------------------------------------------

    def clean(self):
        data = super().clean()
        if self.uses_period:
            self._check_period("start", "end")
        return data

    def _check_period(self, start_field: str, end_field: str, *, required: bool = False):
        start, end = self.cleaned_data.get(start_field), self.cleaned_data.get(end_field)
        if required:
            for name, value in ((start_field, start), (end_field, end)):
                if value is None and name not in self.errors:
                    self.add_error(name, _("Give a date: this period is needed."))
        if start and end and end < start:
            self.add_error(end_field, _("The period is empty: its last day comes before its first day."))
            return False
        return bool(start and end) or not required

    def filters(self, *, start=None, end=None) -> dict:
        """The incident filters for the selectors (dates as date objects)."""
        data = self.cleaned_data
        return {
            "start": start if start is not None else data.get("start"),
            "end": end if end is not None else data.get("end"),
            "categories": [int(c) for c in data.get("categories") or []],
            "group": data.get("group") or "",
            "parishes": [int(p) for p in data.get("parishes") or []],
        }

    def count(self, **period) -> int:
        return selectors.filtered_incidents(self.user, **self.filters(**period)).count()

    def require_incidents(self, minimum: int = MIN_INCIDENTS, *, field=None, **period) -> None:
        """Too few incidents for the analysis: said now, not by a failed job."""
        n = self.count(**period)
        if n < minimum:
            self.add_error(
                field,
                _(
                    "Only %(n)d incidents match these filters (at least %(m)d are needed): widen the "
                    "dates, categories or parishes."
                )
                % {"n": n, "m": minimum},
            )

    def params(self) -> dict:
        """JSON for the job: every cleaned field, dates as ISO text."""
        out = {}
        for name, value in self.cleaned_data.items():
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, (list, tuple)):
                value = [str(v) for v in value]
            out[name] = value
        return out


def positive_number_field(label, initial, *, help_text="", decimal=True, required=True, maximum=None):
    kind = forms.FloatField if decimal else forms.IntegerField
    kwargs = {
        "label": label,
        "initial": initial,
        "required": required,
        "help_text": help_text,
        "error_messages": {
            "min_value": _("Give a number above zero."),
            "max_value": _("Give at most %(limit_value)s."),
        },
    }
    field = kind(min_value=0.000001 if decimal else 1, max_value=maximum, **kwargs)
    return field
