"""Citizen report pages: the public report page and the private tracking page (no account), and the staff inbox
with each report's triage. Reads go through selectors, changes through services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from centinela.accounts.permissions import can, require
from centinela.lib.exports import export_response, geojson_stream_response, table_response
from centinela.lib.maps import map_context
from centinela.lib.urls import reverse
from centinela.lib.views import add_errors, get_scoped_or_404, list_view
from centinela.participation import columns, limits, selectors, services
from centinela.participation.categories import CAMERA_CATEGORY
from centinela.participation.committees.selectors import barrio_committees
from centinela.participation.filters import PublicReportFilter, ReportFilter
from centinela.participation.forms import (
    AnswerForm,
    AssignForm,
    CameraForm,
    MergeForm,
    PublicTextForm,
    PublishForm,
    RatingForm,
    ReporterInformationForm,
    ReportForm,
    UpdateForm,
)
from centinela.participation.models import Report, ReportPhoto
from centinela.territory import selectors as territory_selectors


def _private(response):
    """The tracking link is the reporter's key: never cached by others, never sent on as a referrer."""
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- public pages ----------------------------------------------------------------------------------------------


@login_not_required
def report_new(request):
    form = ReportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_robot:
            status = 400  # a robot filled the hidden field: nothing is saved
        elif limits.over_limit(request):
            form.add_error(
                None,
                _(
                    "Too many reports from your connection in the last hour. Please try again later, or call 911 "
                    "for an emergency."
                ),
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                report = services.file_report(
                    category=data["category"],
                    lon=data["lon"],
                    lat=data["lat"],
                    description=data["description"],
                    photos=data["photos"],
                    contact=form.contact(),
                    base_url=f"{request.scheme}://{request.get_host()}",
                    camera_code=data.get("camera_code", ""),
                )
            except limits.TooManyReports as exc:
                form.add_error(None, exc.messages)
                status = 429
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                limits.count_report(request)
                return redirect(report.tracking_path() + "?nuevo=1")
        if form.errors and status == 200:
            status = 400
    context = {
        "title": _("Report a security problem"),
        "form": form,
        "map_layers": {},
        "map_tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
        "picker": True,
        "had_photos": bool(request.FILES),
        # the camera code field shows only with the "cámara dañada" category (report.js; all fields without script)
        "camera_category": selectors.categories().filter(code=CAMERA_CATEGORY).values_list("pk", flat=True).first(),
    }
    return render(request, "participation/report_new.html", context, status=status)


@login_not_required
@never_cache
def track(request, token):
    report = selectors.report_by_token(token)
    if report is None:
        raise Http404
    rating_posted = request.method == "POST" and "rating-rating" in request.POST
    form = ReporterInformationForm(
        request.POST if request.method == "POST" and not rating_posted else None, prefix="info"
    )
    rating_form = RatingForm(request.POST if rating_posted else None, prefix="rating")
    status = 200
    if rating_posted:
        if rating_form.is_robot:
            status = 400
        elif rating_form.is_valid():
            try:
                services.rate_resolution(
                    report, rating_form.cleaned_data["rating"], rating_form.cleaned_data["comment"]
                )
            except ValidationError as exc:
                add_errors(rating_form, exc)
            else:
                messages.success(request, _("Thank you for rating the answer to your report."))
                return _private(redirect(report.tracking_path()))
        if rating_form.errors:
            status = 400
    elif request.method == "POST":
        if form.is_robot:
            status = 400
        elif form.is_valid():
            try:
                services.add_reporter_information(report, form.cleaned_data["text"])
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Thank you: your information was added to the report."))
                return _private(redirect(report.tracking_path()))
        if form.errors:
            status = 400
    context = {
        "title": _("Report %(code)s") % {"code": report.code},
        "report": report,
        "history": selectors.public_history(report),
        "form": form,
        "rating_form": rating_form,
        "can_rate": report.status in (report.Status.RESOLVED, report.Status.NOT_APPLICABLE),
        "question": selectors.open_question(report),
        "new": request.GET.get("nuevo") == "1",
        "photos": list(report.photos.all()),
        "link": request.build_absolute_uri(report.tracking_path()),
        # a merged report's reporter follows the kept report: its status and public updates (nothing private)
        "kept": report.duplicate_of if report.status == report.Status.DUPLICATE else None,
    }
    if context["kept"] is not None:
        context["kept_history"] = selectors.public_history(context["kept"])
    return _private(render(request, "participation/track.html", context, status=status))


@login_not_required
def place_search(request):
    """The report page's search: barrios, parishes, places and streets by name (public gazetteer data), as JSON."""
    found = territory_selectors.find_places(request.GET.get("q", "")[:80])
    response = JsonResponse({"results": found})
    response["Cache-Control"] = "public, max-age=300"
    return response


@login_not_required
def public_map(request):
    """The reports anyone may see (published, not merged), filtered: a map and a list of the reports that are not
    sensitive (points rounded), and the sensitive ones counted per barrio; `?export=csv|geojson` is the open data
    of the same filter (`&tabla=barrios`: the counts of sensitive reports per barrio)."""
    filterset = PublicReportFilter(request.GET, queryset=selectors.public_reports(), request=request)
    valid = filterset.is_valid()
    qs = filterset.qs if valid else selectors.public_reports().none()
    fmt = request.GET.get("export")
    stamp = timezone.localtime().strftime("%Y%m%d")

    def counts():  # sensitive reports: whole months, small counts hidden (selectors.sensitive_counts)
        return selectors.sensitive_counts(filterset.form.cleaned_data if valid else None)

    if fmt == "csv" and request.GET.get("tabla") == "barrios":
        body = columns.sensitive_count_rows(counts())
        return table_response(columns.SENSITIVE_COUNT_HEADER, body, "csv", f"reportes-sensibles-por-barrio-{stamp}")
    if fmt == "csv":
        # open data (docs/architecture.md, "The public map"): stable machine keys as headers, like the barrio counts'
        # SENSITIVE_COUNT_HEADER, whatever the visitor's language; programs read it
        return export_response(
            selectors.public_points(qs), columns.PUBLIC, "csv", "reportes-ciudadanos", headers="keys", codes=True
        )
    # the filter as the form cleaned it (an invalid filter shows nothing): what the cached data is kept under
    described = (
        repr(sorted((k, getattr(v, "pk", v)) for k, v in filterset.form.cleaned_data.items()))
        if filterset.is_valid()
        else "invalid"
    )
    if fmt == "geojson":
        return geojson_stream_response(
            selectors.public_features(qs, counts()),
            f"reportes-ciudadanos-{stamp}",
            cache_key=selectors.public_cache_key("geojson", described),
            cache_seconds=selectors.PUBLIC_CACHE_SECONDS,
        )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    data = selectors.public_page(qs, counts, query=described, page_number=request.GET.get("page"))
    context = {
        "title": _("Citizen reports on the map"),
        "filter": filterset,
        "query": query.urlencode(),
        **data,
        **map_context(request, reports={**data["layer"], "label": _("Citizen reports")}),
    }
    return render(request, "participation/public_map.html", context)


# --- staff -----------------------------------------------------------------------------------------------------


def inbox(request):
    return list_view(
        request,
        queryset=selectors.reports_for(request.user),
        filterset_class=ReportFilter,
        columns=columns.report_columns(request.user),
        title=_("Citizen reports"),
        basename="reportes-ciudadanos",
        extra={"public_url": request.build_absolute_uri(reverse("participation:report_new"))},
        template="participation/inbox.html",
    )


def overdue(request):
    """The overdue board: open reports past their category's time limit, by institution (scoped like the inbox)."""
    require(request.user, "view", Report)
    groups = selectors.overdue_by_institution(request.user)
    context = {
        "title": _("Overdue reports"),
        "groups": groups,
        "total": sum(len(g["reports"]) for g in groups),
    }
    return render(request, "participation/overdue.html", context)


def report_detail(request, pk, forms=None, status=200):
    user = request.user
    report = get_scoped_or_404(selectors.reports_for(user), pk)
    forms = forms or {}
    can_change = can(user, "change", report)
    context = {
        "title": _("Report %(code)s") % {"code": report.code},
        "report": report,
        "history": selectors.history(report),
        "photos": list(report.photos.all()),
        "contact": selectors.contact_of(user, report),
        "can_change": can_change,
        "status_badge": columns.status_badge(report),
        # the exact point by role (selectors.sees_exact_point); the public map rounds it and never shows sensitive ones
        "point": selectors.point_for(user, report),
        **map_context(request, reports={**selectors.staff_geojson(user, report), "label": _("Citizen reports")}),
        "merged": list(selectors.duplicates_of(report)),
        "is_camera_report": services.is_camera_report(report),
        "answering": list(selectors.answering_activities(user, report)),
        # the barrio's security committees, for those who may read them: who to talk to in the barrio
        "committees": list(barrio_committees(user, report.barrio_id)) if report.barrio_id else [],
    }
    if can_change:
        context.update(
            update_form=forms.get("update") or UpdateForm(report=report),
            assign_form=forms.get("assign")
            or AssignForm(initial={"institution": report.assigned_institution_id, "person": report.assigned_to_id}),
            text_form=forms.get("text") or PublicTextForm(initial={"public_text": report.public_text}),
            publish_form=forms.get("publish") or PublishForm(initial={"published": report.published}),
            merge_errors=forms["merge"].errors if "merge" in forms else None,
            candidates=(
                selectors.duplicate_candidates(user, report) if report.status != report.Status.DUPLICATE else []
            ),
            answer_form=forms.get("answer") or AnswerForm(user=user, report=report),
        )
        if context["is_camera_report"]:
            context["camera_form"] = forms.get("camera") or CameraForm(
                user=user, report=report, initial={"camera": report.camera_id}
            )
    return render(request, "participation/report_detail.html", context, status=status)


def _action(request, pk, key, make_form, apply):
    report = get_scoped_or_404(selectors.reports_for(request.user), pk)
    if request.method != "POST":
        return redirect(report.get_absolute_url())
    require(request.user, "change", report)
    form = make_form(report, request.POST)
    if form.is_valid():
        try:
            apply(report, form.cleaned_data, request.build_absolute_uri(report.tracking_path()))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(report.get_absolute_url())
    return report_detail(request, pk, forms={key: form}, status=400)


def report_update(request, pk):
    return _action(
        request,
        pk,
        "update",
        lambda report, data: UpdateForm(data, report=report),
        lambda report, data, url: services.post_update(
            request.user,
            report,
            status=data["status"],
            text=data["text"],
            public=data["visibility"] in ("public", "question"),
            question=data["visibility"] == "question",
            tracking_url=url,
        ),
    )


def report_assign(request, pk):
    return _action(
        request,
        pk,
        "assign",
        lambda report, data: AssignForm(data),
        lambda report, data, url: services.assign(
            request.user, report, institution=data["institution"], person=data["person"], tracking_url=url
        ),
    )


def report_public_text(request, pk):
    return _action(
        request,
        pk,
        "text",
        lambda report, data: PublicTextForm(data),
        lambda report, data, url: services.edit_public_text(request.user, report, data["public_text"]),
    )


def report_publish(request, pk):
    return _action(
        request,
        pk,
        "publish",
        lambda report, data: PublishForm(data),
        lambda report, data, url: services.publish(request.user, report, data["published"]),
    )


def report_merge(request, pk):
    return _action(
        request,
        pk,
        "merge",
        lambda report, data: MergeForm(data, queryset=selectors.reports_for(request.user)),
        lambda report, data, url: services.merge(request.user, report, data["keep"], tracking_url=url),
    )


def report_camera(request, pk):
    return _action(
        request,
        pk,
        "camera",
        lambda report, data: CameraForm(data, user=request.user, report=report),
        lambda report, data, url: services.set_camera(request.user, report, data["camera"]),
    )


def report_answer(request, pk):
    return _action(
        request,
        pk,
        "answer",
        lambda report, data: AnswerForm(data, user=request.user, report=report),
        lambda report, data, url: services.answer_with(request.user, report, data["activity"], tracking_url=url),
    )


def report_unanswer(request, pk, activity_pk):
    report = get_scoped_or_404(selectors.reports_for(request.user), pk)
    if request.method == "POST":
        require(request.user, "change", report)
        activity = selectors.answering_activities(request.user, report).filter(pk=activity_pk).first()
        if activity is None:
            messages.error(request, _("This activity is not linked to the report."))
        else:
            services.unlink_activity(request.user, report, activity)
            messages.success(request, _("Saved."))
    return redirect(report.get_absolute_url())


@login_not_required
def track_photo(request, token, pk):
    """The reporter's own photos, through the private link."""
    report = selectors.report_by_token(token)
    photo = report.photos.filter(pk=pk).first() if report else None
    if photo is None:
        raise Http404
    return _private(_photo_response(photo))


def _photo_response(photo):
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Content-Disposition"] = f'inline; filename="{photo}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def report_photo(request, pk):
    """Photos are served through the permission check (the report's scope), never as a public media URL."""
    try:
        photo = ReportPhoto.objects.select_related("report").get(pk=pk)
    except (ReportPhoto.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if not selectors.reports_for(request.user).filter(pk=photo.report_id).exists():
        raise Http404
    return _photo_response(photo)
