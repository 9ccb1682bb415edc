from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from centinela.accounts.models import User
from centinela.accounts.permissions import scope
from centinela.activities.models import (
    Activity,
    ActivityPartner,
    Campaign,
    Evidence,
    Indicator,
    IndicatorTarget,
    Material,
    Operation,
    Placement,
    Plan,
    Programme,
    WorkingGroup,
)
from centinela.lib.dates import DatePicker, DateTimePicker
from centinela.lib.uploads import size_limit
from centinela.territory.models import Barrio, Parish, Place

DATETIME = DateTimePicker()
DATE = DatePicker()


class ActivityForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from centinela.activities.selectors.plans import programme_choices

        self.fields["programme"].queryset = programme_choices(user)
        self.fields["parish"].queryset = scope(user, Parish.objects.all())
        self.fields["barrios"].queryset = scope(user, Barrio.objects.select_related("parish"))
        # the council's staff may hold an activity outside the parish served (a training for Sucre at the Salón de los
        # Alcaldes); a parish president chooses among their parish's places (and keeps the one already chosen)
        places = scope(user, Place.objects.all())
        if self.instance.place_id and not places.filter(pk=self.instance.place_id).exists():
            places = places | Place.objects.filter(pk=self.instance.place_id)
        self.fields["place"].queryset = places
        self.fields["responsible"].queryset = User.objects.filter(
            is_active=True, role__in=["admin", "director", "technician"]
        )
        self.fields["working_group"].queryset = scope(user, WorkingGroup.objects.all())
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]

    class Meta:
        model = Activity
        fields = [
            "programme",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "parish",
            "place",
            "barrios",
            "responsible",
            "working_group",
            "budget_planned",
            "budget_executed",
            "status",
            "status_reason",
        ]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 4}),
            "barrios": forms.SelectMultiple(attrs={"size": 5}),
        }


PartnerFormSet = inlineformset_factory(
    Activity,
    ActivityPartner,
    fields=["institution", "role", "in_kind_value", "in_kind_description"],
    extra=2,
    can_delete=True,
)


class OperationForm(forms.ModelForm):
    class Meta:
        model = Operation
        fields = ["operation_type", "stage", "requested_on", "requested_by", "product", "dose", "area_m2"]
        widgets = {"requested_on": DATE}


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["theme", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}


MaterialFormSet = inlineformset_factory(
    Campaign, Material, fields=["kind", "description", "quantity"], extra=1, can_delete=True
)


class PlacementForm(forms.ModelForm):
    class Meta:
        model = Placement
        fields = ["material", "place", "partner", "quantity", "installed_on", "removed_on", "photo"]
        widgets = {"installed_on": DATE, "removed_on": DATE}


PlacementFormSet = inlineformset_factory(Campaign, Placement, form=PlacementForm, extra=2, can_delete=True)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Evidence.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"), validators=[size_limit])
    include_in_report = forms.BooleanField(label=_("Show in the yearly report"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX, as exported from the activity list)"), validators=[size_limit])


class PlanForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parish"].queryset = scope(user, Parish.objects.all())
        # any cantonal plan may be a parent, also for a parish president nesting their parish plan under it
        self.fields["parent"].queryset = Plan.objects.filter(level=Plan.Level.CANTONAL)

    class Meta:
        model = Plan
        fields = [
            "name",
            "level",
            "parent",
            "parish",
            "starts_on",
            "ends_on",
            "objectives",
            "purpose",
            "slogan",
            "legal_basis",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
        }


class ProgrammeForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = User.objects.filter(
            is_active=True, role__in=["admin", "director", "technician"]
        )

    class Meta:
        model = Programme
        fields = ["code", "name", "kind", "objective", "responsible"]
        widgets = {"objective": forms.Textarea(attrs={"rows": 3})}


class IndicatorForm(forms.ModelForm):
    metric = forms.ChoiceField(label=_("computed from"))

    def __init__(self, *args, **kwargs):
        from centinela.activities.indicators import metric_choices

        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = metric_choices()

    class Meta:
        model = Indicator
        fields = ["code", "name", "metric", "unit"]


class TargetForm(forms.ModelForm):
    class Meta:
        model = IndicatorTarget
        fields = ["starts_on", "ends_on", "parish", "target"]
        widgets = {"starts_on": DATE, "ends_on": DATE}


TargetFormSet = inlineformset_factory(Indicator, IndicatorTarget, form=TargetForm, extra=2, can_delete=True)
