"""One form per analysis method: which incidents (dates, categories, parishes, always within the user's scope) and
the method's parameters, with defaults that suit Loja. Everything is checked here, before a job is queued, so a
bad value is a message next to its field rather than a failed job; `params()` is what the job receives (JSON)."""
from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centinela.incidents.models import Category
from centinela.lib import dates
from centinela.observatory import selectors

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
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

    method = ""
    uses_period = True  # False: the form has periods of its own (impact, accuracy)

    start = dates.DateField(label=_("From"), widget=DATE, required=False,
                            help_text=_("First day of incidents to include (empty: from the first one). The "
                                        "default: a year up to the latest incident."))
    end = dates.DateField(label=_("To"), widget=DATE, required=False,
                          help_text=_("Last day of incidents to include (empty: up to the last one)."))
    group = forms.ChoiceField(label=_("Category group"), required=False,
                              choices=[("", _("All groups"))] + list(Category.Group.choices))
    categories = forms.MultipleChoiceField(label=_("Categories"), required=False,
                                           help_text=_("None chosen: every category."))
    parishes = forms.MultipleChoiceField(label=_("Parishes"), required=False,
                                         help_text=_("None chosen: every parish you may see."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from centinela.territory.selectors import parishes_for

        self.user = user
        self.fields["categories"].choices = [(str(c.pk), str(c)) for c in
                                             Category.objects.filter(active=True).order_by("group", "name")]
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
            self.add_error(field, _("Only %(n)d incidents match these filters (at least %(m)d are needed): widen the "
                                    "dates, categories or parishes.") % {"n": n, "m": minimum})

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


def _positive(label, initial, *, help_text="", decimal=True, required=True, maximum=None):
    kind = forms.FloatField if decimal else forms.IntegerField
    kwargs = {"label": label, "initial": initial, "required": required, "help_text": help_text,
              "error_messages": {"min_value": _("Give a number above zero."),
                                 "max_value": _("Give at most %(limit_value)s.")}}
    field = kind(min_value=0.000001 if decimal else 1, max_value=maximum, **kwargs)
    return field


class KdeForm(AnalysisForm):
    method = "kde"
    cell = _positive(_("Cell size (m)"), 100, help_text=_("Side of each square of the grid."), maximum=5000)
    bandwidth = _positive(_("Bandwidth (m)"), None, required=False, maximum=20000,
                          help_text=_("Radius of the kernel; empty: chosen from the data (the rule used is shown "
                                      "with the result)."))
    kernel = forms.ChoiceField(label=_("Kernel"), initial="quartic",
                               choices=[("quartic", _("Quartic")), ("gaussian", _("Gaussian")),
                                        ("epanechnikov", _("Epanechnikov")), ("triangular", _("Triangular")),
                                        ("uniform", _("Uniform"))])

    def clean(self):
        data = super().clean()
        if not self.errors:
            self.require_incidents()
        return data


class GiStarForm(AnalysisForm):
    method = "gistar"
    cell = _positive(_("Cell size (m)"), 200, help_text=_("Side of each square of the grid."), maximum=5000)
    kind = forms.ChoiceField(label=_("Neighbours"), initial="queen",
                             choices=[("queen", _("Queen (sides and corners)")), ("rook", _("Rook (sides only)"))])
    order = _positive(_("Neighbour order"), 1, decimal=False, maximum=5,
                      help_text=_("1: the adjacent cells; 2: also their neighbours."))
    p_method = forms.ChoiceField(
        label=_("Method of the p-values"), initial="exact",
        choices=[("exact", _("Exact (conditional permutation)")), ("mc", _("Monte Carlo (random permutations)"))],
        help_text=_("Exact: the p-values the permutations would give with infinitely many of them, computed "
                    "directly (no randomness: permutations and seed do not apply). Monte Carlo: the permutations "
                    "below, drawn from the seed (on the Dask cluster when one is configured)."))
    permutations = _positive(_("Permutations"), 999, decimal=False, maximum=MAX_PERMUTATIONS,
                             help_text=_("Monte Carlo only."))
    seed = forms.IntegerField(label=_("Random seed"), initial=0, min_value=0,
                              help_text=_("Monte Carlo only. The same seed gives the same result."))
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("permutations", "seed"):
            self.fields[name].widget.attrs["data-applies-when"] = "p_method=mc"

    fdr = forms.FloatField(label=_("False discovery rate"), initial=0.05, required=False, min_value=0.0001,
                           max_value=0.5, help_text=_("Benjamini-Hochberg correction of the p-values for testing "
                                                      "many cells at once; empty: none."))

    def clean(self):
        data = super().clean()
        if not self.errors:
            self.require_incidents()
        return data


class NearRepeatForm(AnalysisForm):
    method = "near_repeat"
    distance_band = _positive(_("Distance band (m)"), 100, maximum=10000)
    distance_bands = _positive(_("Distance bands"), 3, decimal=False, maximum=20)
    time_band = _positive(_("Time band (days)"), 7, maximum=365)
    time_bands = _positive(_("Time bands"), 3, decimal=False, maximum=52)
    same_location = _positive(_("Same location below (m)"), 1, maximum=1000,
                              help_text=_("Pairs closer than this are at the same place (the table's first row); "
                                          "it must be below the distance band."))
    metric = forms.ChoiceField(label=_("Distance"), initial="manhattan",
                               choices=[("manhattan", _("Manhattan (along the streets)")),
                                        ("euclidean", _("Euclidean (straight line)"))])
    permutations = _positive(_("Permutations"), 999, decimal=False, maximum=MAX_PERMUTATIONS)
    seed = forms.IntegerField(label=_("Random seed"), initial=0, min_value=0,
                              help_text=_("The same seed gives the same result."))

    def clean(self):
        data = super().clean()
        same, band = data.get("same_location"), data.get("distance_band")
        if same is not None and band is not None and same >= band:
            self.add_error("same_location", _("The same-location distance must be below the distance band "
                                              "(%(band)s m).") % {"band": f"{band:g}"})
        if not self.errors:
            self.require_incidents(2)
        return data


class CoverageForm(AnalysisForm):
    """No parameters of its own: the incidents chosen, and the cameras' views and working records."""
    method = "coverage"

    def clean(self):
        data = super().clean()
        if not self.errors:
            self.require_incidents(1)
        return data


class PlacementForm(AnalysisForm):
    method = "placement"
    k = _positive(_("Cameras to place"), 5, decimal=False, maximum=200)
    radius = _positive(_("Radius each camera watches (m)"), 150, maximum=2000)
    spacing = _positive(_("Spacing of the candidate grid (m)"), 150, maximum=2000,
                        help_text=_("Candidates: the gazetteer's places plus a grid of points over the urban area."))
    count_existing = forms.BooleanField(label=_("Count the cameras in service"), required=False, initial=True,
                                        help_text=_("Incidents already watched by a camera in service do not "
                                                    "call for a new one."))
    solver = forms.ChoiceField(label=_("Method"), initial="exact",
                               choices=[("exact", _("Exact (integer programming)")), ("greedy", _("Greedy (fast)"))])

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.require_incidents(1)
        xs, _ys, _labels = selectors.candidate_sites(self.user, spacing=data["spacing"])
        if data["k"] > len(xs):
            self.add_error("k", _("There are only %(n)d candidate sites: ask for at most that many cameras (or "
                                  "narrow the grid spacing).") % {"n": len(xs)})
        return data


class ImpactForm(AnalysisForm):
    method = "impact"
    uses_period = False
    cameras = forms.MultipleChoiceField(label=_("Cameras"), required=False,
                                        help_text=_("The treated area is the ground within the distance below "
                                                    "around these cameras."))
    treated_parishes = forms.MultipleChoiceField(label=_("Or treated parishes"), required=False)
    treated_barrios = forms.MultipleChoiceField(label=_("Or treated barrios"), required=False)
    distance = _positive(_("Treated distance around the cameras (m)"), 150, maximum=5000)
    buffer = forms.FloatField(label=_("Buffer ring (m)"), initial=300, min_value=0, max_value=5000,
                              help_text=_("A ring around the treated area left out of the control area (where "
                                          "crime may be displaced or benefits may spill over); 0: none."))
    control_parishes = forms.MultipleChoiceField(label=_("Control parishes"), required=False,
                                                 help_text=_("None chosen: the rest of the urban area."))
    before_start = dates.DateField(label=_("Before: from"), widget=DATE)
    before_end = dates.DateField(label=_("Before: to"), widget=DATE)
    after_start = dates.DateField(label=_("After: from"), widget=DATE)
    after_end = dates.DateField(label=_("After: to"), widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        from centinela.territory.selectors import barrios_for

        self.fields["cameras"].choices = [(str(pk), label) for pk, label in selectors.camera_choices(user)]
        self.fields["treated_parishes"].choices = self.fields["parishes"].choices
        self.fields["control_parishes"].choices = self.fields["parishes"].choices
        self.fields["treated_barrios"].choices = [(str(b.pk), f"{b.name} ({b.parish.name})")
                                                  for b in barrios_for(user).order_by("name")]
        for name in ("cameras", "treated_parishes", "treated_barrios", "control_parishes"):
            self.fields[name].widget.attrs["size"] = 6
        today = last_day(user)
        self.fields["after_end"].initial = today
        self.fields["after_start"].initial = today - timedelta(days=180)
        self.fields["before_end"].initial = today - timedelta(days=181)
        self.fields["before_start"].initial = today - timedelta(days=361)

    def clean(self):
        data = super().clean()
        if not (data.get("cameras") or data.get("treated_parishes") or data.get("treated_barrios")):
            self.add_error("cameras", _("Choose the treated area: cameras, parishes or barrios."))
        ok_before = self._check_period("before_start", "before_end", required=True)
        ok_after = self._check_period("after_start", "after_end", required=True)
        if ok_before and ok_after and not self.errors and data["after_start"] <= data["before_end"]:
            self.add_error("after_start", _("The after period must start once the before period has ended."))
        if not self.errors:
            self.require_incidents(1, start=data["before_start"], end=data["after_end"])
        return data


class AccuracyForm(AnalysisForm):
    method = "accuracy"
    uses_period = False
    train_start = dates.DateField(label=_("Training period: from"), widget=DATE)
    train_end = dates.DateField(label=_("Training period: to"), widget=DATE)
    test_start = dates.DateField(label=_("Test period: from"), widget=DATE)
    test_end = dates.DateField(label=_("Test period: to"), widget=DATE)
    predictor = forms.ChoiceField(label=_("Hot-spot method"), initial="kde",
                                  choices=[("kde", _("Kernel density (KDE)")), ("gistar", _("Getis-Ord Gi*"))])
    cell = _positive(_("Cell size (m)"), 100, maximum=5000)
    area_share = forms.FloatField(label=_("Share of the area flagged (%)"), initial=5, min_value=0.1, max_value=50,
                                  help_text=_("The hottest cells covering this share of the area are the "
                                              "prediction."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        today = last_day(user)
        self.fields["test_end"].initial = today
        self.fields["test_start"].initial = today - timedelta(days=90)
        self.fields["train_end"].initial = today - timedelta(days=91)
        self.fields["train_start"].initial = today - timedelta(days=456)

    def clean(self):
        data = super().clean()
        ok_train = self._check_period("train_start", "train_end", required=True)
        ok_test = self._check_period("test_start", "test_end", required=True)
        if ok_train and ok_test and not self.errors and data["test_start"] <= data["train_end"]:
            self.add_error("test_start", _("The test period must start after the training period."))
        if not self.errors:
            self.require_incidents(MIN_INCIDENTS, field="train_start", start=data["train_start"],
                                   end=data["train_end"])
            self.require_incidents(1, field="test_start", start=data["test_start"], end=data["test_end"])
        return data


FORMS = {form.method: form for form in (KdeForm, GiStarForm, NearRepeatForm, CoverageForm, PlacementForm, ImpactForm, AccuracyForm)}
