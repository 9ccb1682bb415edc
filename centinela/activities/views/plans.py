"""Plans, programmes and activities: lists, forms, evidence, import, calendar, map and the plan dashboard."""

import calendar as pycalendar
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from centinela.accounts.permissions import can, require, scope
from centinela.activities import jobs
from centinela.activities.activity_import import activity_importer
from centinela.activities.columns import ACTIVITY, PLAN
from centinela.activities.filters import ActivityFilter, PlanFilter
from centinela.activities.forms.plans import (
    ActivityForm,
    CampaignForm,
    EvidenceForm,
    ImportForm,
    IndicatorForm,
    MaterialFormSet,
    OperationForm,
    PartnerFormSet,
    PlacementFormSet,
    PlanForm,
    ProgrammeForm,
    TargetFormSet,
)
from centinela.activities.models import Activity, Campaign, Evidence, Indicator, Material, Plan, Programme
from centinela.activities.selectors import plans as selectors
from centinela.activities.services import plans as services
from centinela.jobs import imports as import_jobs
from centinela.lib import dates
from centinela.lib.choices import display
from centinela.lib.exports import header_of
from centinela.lib.import_views import import_page
from centinela.lib.records import save_checked
from centinela.lib.views import add_errors, form_view, get_scoped_or_404, list_map_data, list_view
from centinela.territory import geometry
from centinela.territory import selectors as territory
from centinela.territory.models import Parish

KIND_FORMS = {Activity.Kind.OPERATION: ("operation", OperationForm), Activity.Kind.CAMPAIGN: ("campaign", CampaignForm)}


def activity_list(request):
    return list_view(
        request,
        queryset=selectors.listed_activities(request.user),
        rows=selectors.activity_rows,
        filterset_class=ActivityFilter,
        columns=ACTIVITY,
        title=_("Activities"),
        basename="actividades",
        extra={
            "import_url": reverse("activities:activity_import") if can(request.user, "add", Activity) else None,
            "import_label": _("Import activities"),
            "list_map_url": reverse("activities:activity_map_data"),
            "add_choices": [
                (reverse("activities:activity_create") + f"?kind={value}", _("New: %(kind)s") % {"kind": label})
                for value, label in Activity.Kind.choices
            ]
            if can(request.user, "add", Activity)
            else [],
        },
    )


def activity_detail(request, pk):
    activity = get_scoped_or_404(selectors.activities_for(request.user), pk)
    if activity.kind == Activity.Kind.TRAINING and hasattr(activity, "training"):
        return redirect(activity.training.get_absolute_url())  # its attendance, certificates and speakers live there
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "partners": activity.partner_roles.select_related("institution"),
            "evidence": activity.evidence.all(),
            "barrios": activity.barrios.all(),
            "can_change": can(request.user, "change", activity),
            "evidence_form": EvidenceForm(),
            "answered_reports": list(selectors.answered_reports(request.user, activity)),
            **_point_map(request, [activity], placements=getattr(activity, "campaign", None)),
        },
    )


def _training_url(name, *args):
    try:
        return reverse(f"activities:{name}", args=args)
    except NoReverseMatch:
        return None


def activity_create(request):
    kind = request.GET.get("kind") or request.POST.get("kind") or Activity.Kind.OTHER
    if kind == Activity.Kind.TRAINING and (url := _training_url("training_create")):
        return redirect(url)
    if kind not in Activity.Kind.values:
        raise Http404
    require(request.user, "add", Activity)
    return _activity_form(
        request, Activity(kind=kind, responsible=request.user if request.user.role != "liaison" else None)
    )


def activity_edit(request, pk):
    activity = get_scoped_or_404(selectors.activities_for(request.user), pk)
    if activity.kind == Activity.Kind.TRAINING and hasattr(activity, "training"):
        return redirect(reverse("activities:training_edit", args=[activity.training.pk]))
    require(request.user, "change", activity)
    return _activity_form(request, activity)


def _activity_form(request, activity):
    """One page for the activity, its partners and, by type, its operation or campaign details."""
    data = request.POST if request.method == "POST" else None
    form = ActivityForm(data, instance=activity, user=request.user)
    partners = PartnerFormSet(data, instance=activity, prefix="partners")
    extra_name, extra_form, materials, placements = None, None, None, None
    if activity.kind in KIND_FORMS:
        extra_name, form_class = KIND_FORMS[activity.kind]
        detail = getattr(activity, extra_name, None) if activity.pk else None
        extra_form = form_class(data, instance=detail, prefix=extra_name)
        if activity.kind == Activity.Kind.CAMPAIGN:
            campaign = detail or Campaign()
            materials = MaterialFormSet(data, instance=campaign, prefix="materials")
            placements = PlacementFormSet(data, instance=campaign, prefix="placements")
            # choices per form of this request (never on the shared formset class): this campaign's materials, the
            # activity's photos, the places the user may record
            materials_qs = campaign.materials.all() if campaign.pk else Material.objects.none()
            photos_qs = (
                Evidence.objects.filter(activity=activity.pk, kind=Evidence.Kind.PHOTO)
                if activity.pk
                else Evidence.objects.none()
            )
            for placement_form in placements.forms:
                placement_form.fields["material"].queryset = materials_qs
                placement_form.fields["photo"].queryset = photos_qs
                placement_form.fields["place"].queryset = territory.places_for(request.user)
    subforms = [f for f in (partners, extra_form, materials, placements) if f is not None]
    was_saved = activity.pk is not None
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in subforms):
        try:
            obj = services.save_activity_page(
                request.user,
                form,
                partners,
                kind=activity.kind,
                detail_form=extra_form,
                materials=materials,
                placements=placements,
            )
        except (ValidationError, PermissionDenied) as exc:
            if not was_saved:  # the transaction rolled back: the new record does not exist after all
                form.instance.pk, form.instance._state.adding = None, True
            if isinstance(exc, PermissionDenied):
                form.add_error(None, _("You may not save this record here (it belongs to another parish)."))
            else:
                add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(obj.get_absolute_url())
    return render(
        request,
        "activities/activity_form.html",
        {
            "title": _("Edit activity")
            if activity.pk
            else _("New activity: %(kind)s") % {"kind": activity.get_kind_display()},
            "form": form,
            "partners": partners,
            "extra_form": extra_form,
            "materials": materials,
            "placements": placements,
            "object": activity,
            "kind": activity.kind,
        },
    )


def evidence_upload(request, pk):
    activity = get_scoped_or_404(selectors.activities_for(request.user), pk)
    require(request.user, "change", activity)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_evidence(
                request.user,
                activity,
                form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                include_in_report=form.cleaned_data["include_in_report"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Evidence added."))
    elif request.method == "POST":
        messages.error(request, _("Choose a file and its type."))
    return redirect(activity.get_absolute_url())


def evidence_file(request, pk):
    """Evidence is served through this permission check, never as a public media URL."""
    try:
        evidence = Evidence.objects.select_related("activity").get(pk=pk)
    except Evidence.DoesNotExist as exc:
        raise Http404 from exc
    if not selectors.activities_for(request.user).filter(pk=evidence.activity_id).exists():
        raise Http404
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
    response["Content-Disposition"] = f'inline; filename="{evidence.file.name.rsplit("/", 1)[-1]}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def activity_import(request):
    require(request.user, "add", Activity)
    return import_page(
        request,
        template="activities/activity_import.html",
        context={"title": _("Import activities"), "columns": [header_of(c) for c in ACTIVITY]},
        form_class=ImportForm,
        make_importer=lambda params, skip: activity_importer(request.user, skip=skip),
        extensions={".csv", ".xlsx"},
        max_bytes=10 * 1024 * 1024,
        session_key="activity_import",
        retry_url=reverse("activities:activity_import"),
        skip_problem_rows=True,  # each row is one activity: the valid ones may go in without the others
        # the confirmation is applied by the job queue (activities/jobs.py), never in this request
        confirm_as_job=lambda path, params, skip: import_jobs.queue(request, jobs.ACTIVITY_KIND, path, params, skip),
        applied=import_jobs.applied_result(request.user, jobs.ACTIVITY_KIND),
    )


# --- calendar and map ---------------------------------------------------------------------------------------------


def _period_activities(request, start: date, end: date):
    tz = timezone.get_current_timezone()
    lo = timezone.make_aware(datetime.combine(start, time.min), tz)
    hi = timezone.make_aware(datetime.combine(end, time.max), tz)
    qs = selectors.activities_for(request.user).filter(starts_at__range=(lo, hi)).order_by("starts_at")
    filterset = ActivityFilter(request.GET, queryset=qs, request=request)
    return filterset, (filterset.qs if filterset.is_valid() else qs.none())


def calendar(request):
    require(request.user, "view", Activity)
    today = timezone.localdate()
    view = request.GET.get("vista", "mes")
    anchor = dates.parse_day(request.GET.get("fecha"), today)  # out of range: today, never an overflow
    problem = dates.day_problem(request.GET.get("fecha"))
    if problem:
        messages.error(request, problem)
    if view == "semana":
        start = anchor - timedelta(days=anchor.weekday())
        end = start + timedelta(days=6)
        prev_anchor, next_anchor = start - timedelta(days=7), start + timedelta(days=7)
        weeks = [[start + timedelta(days=i) for i in range(7)]]
    else:
        view = "mes"
        weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(anchor.year, anchor.month)
        start, end = weeks[0][0], weeks[-1][-1]
        prev_anchor = (anchor.replace(day=1) - timedelta(days=1)).replace(day=1)
        next_anchor = (anchor.replace(day=28) + timedelta(days=7)).replace(day=1)
    filterset, activities = _period_activities(request, start, end)
    by_day: dict[date, list] = {}
    for activity in activities:
        by_day.setdefault(timezone.localtime(activity.starts_at).date(), []).append(activity)
    query = request.GET.copy()
    for key in ("fecha", "vista"):
        query.pop(key, None)
    return render(
        request,
        "activities/calendar.html",
        {
            "title": _("Calendar"),
            "view": view,
            "anchor": anchor,
            "today": today,
            "filter": filterset,
            "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
            "prev": prev_anchor.isoformat(),
            "next": next_anchor.isoformat(),
            "query": query.urlencode(),
            "count": len(activities),
            # a date to go to, typed or picked (the picker opens on the month shown): 2020 in a few taps
            "go_to": dates.DatePicker({"data-submit": ""}).render("fecha", anchor, attrs={"id": "cal-fecha"}),
        },
    )


def _point(activity):
    if activity.place_id:
        return activity.place.lon, activity.place.lat
    if activity.parish_id and activity.parish.centre_lon is not None:
        return activity.parish.centre_lon, activity.parish.centre_lat
    return None


def _point_map(request, activities, placements=None):
    features = []
    for a in activities:
        xy = _point(a)
        if xy is None:
            continue
        features.append(
            geometry.feature(
                geometry.point(*xy),
                {
                    "id": a.pk,
                    "name": a.title,
                    "kind": a.kind,
                    "kind_label": str(display(a, "kind")),
                    "status": str(display(a, "status")),
                    "date": timezone.localtime(a.starts_at).strftime("%d/%m/%Y"),
                    "parish": a.parish.name if a.parish else "",
                    "url": a.get_absolute_url(),
                },
            )
        )
    layers = {"parishes": territory.parishes_geojson(request.user), "activities": geometry.feature_collection(features)}
    if placements is not None:  # a campaign: where its materials were placed
        places = territory.places_for(request.user).filter(placements__campaign=placements).distinct()
        layers["places"] = territory.places_geojson(request.user, places)
    return {
        "map_tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
        "map_layers": layers,
    }


# What the activity map reads of each activity: a few columns, not model instances with five related records each
# (the better part of that page's time, issue 10). Each row gives the feature _point_map made from an instance.
MAP_COLUMNS = (
    "pk",
    "title",
    "kind",
    "status",
    "starts_at",
    "place_id",
    "place__lon",
    "place__lat",
    "parish_id",
    "parish__centre_lon",
    "parish__centre_lat",
    "parish__name",
)


def _map_features(rows) -> list[dict]:
    kinds, statuses = dict(Activity.Kind.choices), dict(Activity.Status.choices)
    mark = "987654321987"  # the detail URL reversed once, each row's key put in the place of this one
    url = reverse("activities:activity_detail", args=[int(mark)])
    features = []
    for pk, title, kind, status, starts_at, place_id, place_lon, place_lat, parish_id, lon, lat, parish in rows:
        if place_id:
            xy = place_lon, place_lat
        elif parish_id and lon is not None:
            xy = lon, lat
        else:
            continue
        features.append(
            geometry.point_feature(
                *xy,
                {
                    "id": pk,
                    "name": title,
                    "kind": kind,
                    "kind_label": str(kinds.get(kind, kind)),
                    "status": str(statuses.get(status, status)),
                    "date": timezone.localtime(starts_at).strftime("%d/%m/%Y"),
                    "parish": parish if parish_id else "",
                    "url": url.replace(mark, str(pk)),
                },
            )
        )
    return features


MAP_LIMIT = 2000  # the list's map: the latest activities beyond this are left out, and the map says how many


def activity_map_data(request):
    """The activity list's map: the rows its filters select (the same scoped queryset and FilterSet)."""

    def features(qs):
        rows = qs.order_by("-starts_at").values_list(*MAP_COLUMNS)[:MAP_LIMIT]
        return _map_features(rows), qs.count()

    return list_map_data(
        request, queryset=selectors.listed_activities(request.user), filterset_class=ActivityFilter, features=features
    )


def activity_map(request):
    require(request.user, "view", Activity)
    qs = selectors.activities_for(request.user)
    filterset = ActivityFilter(request.GET, queryset=qs, request=request)
    rows = list((filterset.qs if filterset.is_valid() else qs.none()).values_list(*MAP_COLUMNS))
    return render(
        request,
        "activities/activity_map.html",
        {
            "title": _("Map of activities"),
            "filter": filterset,
            "count": len(rows),
            "kinds": Activity.Kind.choices,
            "map_tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
            "map_layers": {
                "parishes": territory.parishes_geojson(request.user),
                "activities": geometry.feature_collection(_map_features(rows)),
            },
        },
    )


# --- plans and the dashboard --------------------------------------------------------------------------------------


def plan_list(request):
    return list_view(
        request,
        queryset=selectors.plans_for(request.user),
        filterset_class=PlanFilter,
        columns=PLAN,
        title=_("Plans"),
        basename="planes",
        add_url=reverse("activities:plan_create"),
    )


def plan_detail(request, pk):
    plan = get_scoped_or_404(selectors.plans_for(request.user), pk)
    return render(
        request,
        "activities/plan_detail.html",
        {
            "plan": plan,
            "title": plan.name,
            "programmes": selectors.plan_dashboard(plan),
            "children": plan.children.all(),
            "can_change": can(request.user, "change", plan),
        },
    )


def programme_detail(request, pk):
    programme = get_scoped_or_404(selectors.programmes_for(request.user), pk)
    summary = selectors.programme_summary(programme)
    return render(
        request,
        "activities/programme_detail.html",
        {
            "programme": programme,
            "summary": summary,
            "title": str(programme),
            "can_change": can(request.user, "change", programme),
            "activities": selectors.activities_for(request.user).filter(programme=programme),
        },
    )


def plan_edit(request, pk=None):
    plan = get_scoped_or_404(selectors.plans_for(request.user), pk) if pk else Plan()
    return form_view(
        request,
        form_class=PlanForm,
        instance=plan,
        save=save_checked,
        title=_("Edit plan") if pk else _("New plan"),
        success_url=lambda obj: obj.get_absolute_url(),
        form_kwargs={"user": request.user},
    )


def programme_edit(request, pk=None, plan_pk=None):
    if pk:
        programme = get_scoped_or_404(selectors.programmes_for(request.user), pk)
    else:
        programme = Programme(plan=get_scoped_or_404(selectors.plans_for(request.user), plan_pk))
    return form_view(
        request,
        form_class=ProgrammeForm,
        instance=programme,
        save=save_checked,
        title=_("Edit programme") if pk else _("New programme in %(plan)s") % {"plan": programme.plan},
        success_url=lambda obj: obj.get_absolute_url(),
    )


def indicator_edit(request, pk=None, programme_pk=None):
    """An indicator and its targets (per period, and per parish where it applies) on one page."""
    if pk:
        indicator = get_scoped_or_404(scope(request.user, Indicator.objects.select_related("programme__plan")), pk)
    else:
        indicator = Indicator(programme=get_scoped_or_404(selectors.programmes_for(request.user), programme_pk))
    require(request.user, "change" if pk else "add", indicator)
    data = request.POST if request.method == "POST" else None
    form = IndicatorForm(data, instance=indicator)
    targets = TargetFormSet(data, instance=indicator, prefix="targets")
    for target_form in targets.forms:
        target_form.fields["parish"].queryset = scope(request.user, Parish.objects.all())
    if request.method == "POST" and form.is_valid() and targets.is_valid():
        try:
            obj = services.save_indicator(request.user, form, targets)
        except PermissionDenied:
            form.add_error(None, _("You may not save this record here (it belongs to another parish)."))
        else:
            messages.success(request, _("Saved."))
            return redirect(obj.programme.get_absolute_url())
    return render(
        request,
        "activities/indicator_form.html",
        {
            "form": form,
            "targets": targets,
            "object": indicator,
            "title": _("Edit indicator") if pk else _("New indicator for %(p)s") % {"p": indicator.programme},
        },
    )
