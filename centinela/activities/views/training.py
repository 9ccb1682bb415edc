"""Training pages: list, create/edit, detail, attendance on a phone (search-or-add), attendance sheet import,
QR self check-in (public), certificates and their public verification, and coverage per parish and barrio.

Views stay thin: reads come from selectors.training, changes from services.training (which check permissions)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy  # spelled out: makemessages does not know an alias such as _l
from django.views.decorators.http import require_POST

from centinela.accounts.permissions import can, can_see_personal_data, require
from centinela.activities import attendance_import, certificates, jobs
from centinela.activities.attendance_import import attendance_importer
from centinela.activities.filters import TrainingFilter
from centinela.activities.forms.training import (
    CheckInForm,
    PeriodForm,
    SheetForm,
    SpeakerFormSet,
    StaffPersonForm,
    StatusForm,
    TrainingForm,
)
from centinela.activities.models import Activity, ActivityPartner, Attendance, Training
from centinela.activities.selectors import plans as plan_selectors
from centinela.activities.selectors import training as selectors
from centinela.activities.services import training as services
from centinela.jobs import imports as import_jobs
from centinela.lib.exports import FORMATS, Column, export_response
from centinela.lib.import_views import import_page
from centinela.lib.views import add_errors, get_scoped_or_404, list_view


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


# --- list -----------------------------------------------------------------------------------------------------


COLUMNS = [
    Column("starts_at", gettext_lazy("Date"), lambda t: _local(t.activity.starts_at)),
    Column("topic", gettext_lazy("Topic"), lambda t: t.topic, link=True),
    Column("programme", gettext_lazy("Programme"), lambda t: t.activity.programme.code),
    Column("parish", gettext_lazy("Parish"), lambda t: t.activity.parish.name if t.activity.parish else ""),
    Column("place", gettext_lazy("Place"), lambda t: t.activity.place.name if t.activity.place else ""),
    Column("hours", gettext_lazy("Hours"), lambda t: float(t.hours)),
    Column("trained", gettext_lazy("Trained"), lambda t: t.trained),
    Column("attendees", gettext_lazy("Attendees"), lambda t: t.present),
    Column("status", gettext_lazy("Status"), lambda t: t.activity.get_status_display()),
]


def training_list(request):
    return list_view(
        request,
        queryset=selectors.trainings_for(request.user),
        filterset_class=TrainingFilter,
        columns=COLUMNS,
        title=_("Preventive trainings"),
        basename="capacitaciones",
        add_url=reverse("activities:training_create"),
        template="activities/training/list.html",
    )


# --- create / edit --------------------------------------------------------------------------------------------


def _training_form(request, training: Training, title: str):
    activity = training.activity if training.pk else Activity(kind=Activity.Kind.TRAINING)
    user = request.user
    initial = {"topic": training.topic, "audience": training.audience, "hours": training.hours}
    if training.pk:
        initial["institutions"] = list(
            activity.partner_roles.filter(role=ActivityPartner.Role.SPEAKER).values_list("institution", flat=True)
        )
    form = TrainingForm(request.POST or None, instance=activity, user=user, initial=initial)
    speaker_initial = (
        [
            {"institution": s.institution_id, "name": s.name, "subject": s.subject}
            for s in selectors.speakers_of(training)
        ]
        if training.pk
        else []
    )
    speakers = SpeakerFormSet(request.POST or None, prefix="speakers", initial=speaker_initial)
    if request.method == "POST" and form.is_valid() & speakers.is_valid():  # & so both show their errors
        activity = form.save(commit=False)
        training.topic, training.audience, training.hours = (
            form.cleaned_data[k] for k in ("topic", "audience", "hours")
        )
        rows = [
            {k: f.cleaned_data[k] for k in ("institution", "name", "subject")}
            for f in speakers.forms
            if f.cleaned_data.get("institution") and not f.cleaned_data.get("DELETE")
        ]
        try:
            services.save_training(
                user,
                activity,
                training,
                barrios=form.cleaned_data["barrios"],
                speakers=rows,
                institutions=form.cleaned_data["institutions"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        except PermissionDenied:
            form.add_error(None, _("You may not save this record here (it belongs to another parish)."))
        else:
            messages.success(request, _("Saved."))
            return redirect("activities:training_detail", training.pk)
    return render(
        request,
        "activities/training/form.html",
        {"form": form, "speakers": speakers, "title": title, "training": training},
    )


def training_create(request):
    require(request.user, "add", Training)
    return _training_form(request, Training(), _("New training"))


def training_edit(request, pk):
    training = get_scoped_or_404(selectors.trainings_for(request.user), pk)
    require(request.user, "change", training)
    return _training_form(request, training, _("Edit training"))


# --- detail ---------------------------------------------------------------------------------------------------


def yes_no(value: bool) -> str:
    return str(_("Yes") if value else _("No"))


def _attendance_columns(user):
    return [
        Column("last_names", gettext_lazy("Last names"), lambda a: a.person.last_names),
        Column("first_names", gettext_lazy("First names"), lambda a: a.person.first_names),
        Column("cedula", gettext_lazy("Cédula"), lambda a: selectors.personal(user, a.person.cedula)),
        Column("phone", gettext_lazy("Phone"), lambda a: selectors.personal(user, a.person.phone)),
        # codes written as the page shows them (issue 13 item 1); the attendance import reads them back
        Column("role", gettext_lazy("Role"), lambda a: a.role, display=lambda a: a.get_role_display()),
        Column(
            "participation",
            gettext_lazy("Took part as"),
            lambda a: a.participation,
            display=lambda a: a.get_participation_display(),
        ),
        Column("sex", gettext_lazy("Sex"), lambda a: a.person.sex, display=lambda a: a.person.get_sex_display()),
        Column(
            "age_band",
            gettext_lazy("Age band"),
            lambda a: a.person.age_band,
            display=lambda a: a.person.get_age_band_display(),
        ),
        Column("barrio", gettext_lazy("Barrio"), lambda a: a.person.barrio.name if a.person.barrio else ""),
        Column("consent", gettext_lazy("Consent"), lambda a: yes_no(a.person.consent)),
        Column("attended", gettext_lazy("Attended"), lambda a: yes_no(a.attended)),
        Column("via", gettext_lazy("Registered"), lambda a: a.via, display=lambda a: a.get_via_display()),
        Column("certificate_code", gettext_lazy("Certificate"), lambda a: a.certificate_code or ""),
    ]


def _checkin_url(request, training):
    return request.build_absolute_uri(reverse("activities:training_checkin", args=[training.checkin_token]))


def training_detail(request, pk):
    user = request.user
    training = get_scoped_or_404(selectors.trainings_for(user), pk)
    attendances = selectors.attendances_of(user, training)
    fmt = request.GET.get("export")
    if fmt in FORMATS:
        require(user, "export", Attendance)
        return export_response(attendances, _attendance_columns(user), fmt, f"asistencia-{training.pk}")
    can_change = can(user, "change", training)
    activity = training.activity
    context = {
        "title": training.topic,
        "training": training,
        "activity": activity,
        "speakers": selectors.speakers_of(training),
        "institutions": activity.partner_roles.filter(role=ActivityPartner.Role.SPEAKER).select_related("institution"),
        "barrios": activity.barrios.all(),
        "attendances": [
            (a, selectors.personal(user, a.person.cedula), selectors.personal(user, a.person.phone))
            for a in attendances
        ],
        "present": sum(1 for a in attendances if a.attended),
        "trained": sum(1 for a in attendances if a.attended and a.is_trainee),
        "personal_data": can_see_personal_data(user),
        "can_change": can_change,
        "status_form": StatusForm(initial={"status": activity.status, "reason": activity.status_reason}),
        "is_done": activity.status == Activity.Status.DONE,
        "checkin_open": services.checkin_is_open(training),
        "answered_reports": list(plan_selectors.answered_reports(user, activity)),
    }
    if can_change:
        url = _checkin_url(request, training)
        context.update(checkin_url=url, qr_svg=certificates.qr_svg(url, scale=5))
    return render(request, "activities/training/detail.html", context)


def _changeable(request, pk) -> Training:
    training = get_scoped_or_404(selectors.trainings_for(request.user), pk)
    require(request.user, "change", training)
    return training


@require_POST
def training_status(request, pk):
    training = _changeable(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_status(request.user, training, form.cleaned_data["status"], form.cleaned_data["reason"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Status changed to %(s)s.") % {"s": training.activity.get_status_display()})
    return redirect("activities:training_detail", training.pk)


@require_POST
def training_checkin_toggle(request, pk):
    training = _changeable(request, pk)
    try:
        services.set_checkin(request.user, training, request.POST.get("open") == "1")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, _("Self check-in is open.") if training.checkin_open else _("Self check-in is closed.")
        )
    return redirect("activities:training_detail", training.pk)


def training_checkin_poster(request, pk):
    """A page to print or project: the QR code, big, with the address written out."""
    training = _changeable(request, pk)
    url = _checkin_url(request, training)
    return render(
        request,
        "activities/training/poster.html",
        {
            "title": training.topic,
            "training": training,
            "checkin_url": url,
            "qr_svg": certificates.qr_svg(url, scale=10),
            "checkin_open": services.checkin_is_open(training),
        },
    )


# --- attendance on a phone ------------------------------------------------------------------------------------


def _search_context(request, training, query):
    people = list(selectors.search_people(request.user, query))
    present = selectors.present_ids(training, people)
    return {
        "training": training,
        "query": query,
        "results": [(p, selectors.personal(request.user, p.cedula), p.pk in present) for p in people],
    }


def training_attendance(request, pk):
    training = _changeable(request, pk)
    user = request.user
    form = StaffPersonForm(request.POST or None, barrios=selectors.barrios_for_training(user, training), prefix="new")
    if request.method == "POST" and form.is_valid():
        try:
            present = form.cleaned_data.get("present", True)
            attendance, marked = services.add_attendee(
                user,
                training,
                form.person_data(),
                role=form.cleaned_data["role"],
                institution=form.cleaned_data["institution"],
                present=present,
                participation=form.cleaned_data["participation"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("You may not register people of another parish."))
        else:
            if not present:
                messages.success(
                    request,
                    _("%(name)s is registered; mark them present when they arrive.") % {"name": attendance.person},
                )
            elif marked:
                messages.success(request, _("%(name)s is marked present.") % {"name": attendance.person})
            else:
                messages.info(request, _("%(name)s was already marked present.") % {"name": attendance.person})
            return redirect("activities:training_attendance", training.pk)
    query = request.GET.get("q", "")
    present = selectors.attendances_of(user, training).filter(attended=True).order_by("-registered_at")
    registered = (
        selectors.attendances_of(user, training)
        .filter(attended=False)
        .select_related("person")
        .order_by("person__last_names")
    )
    return render(
        request,
        "activities/training/attendance.html",
        {
            "title": _("Attendance"),
            "form": form,
            "present_list": present[:30],
            "present_count": present.count(),
            "registered_list": registered[:200],
            **_search_context(request, training, query),
        },
    )


def training_person_search(request, pk):
    training = _changeable(request, pk)
    return render(
        request,
        "activities/training/_search_results.html",
        _search_context(request, training, request.GET.get("q", "")),
    )


@require_POST
def training_mark_present(request, pk):
    training = _changeable(request, pk)
    person = get_scoped_or_404(selectors.people_for(request.user), request.POST.get("person"))
    error, newly = "", False
    try:
        _attendance, newly = services.mark_present(request.user, training, person, role=selectors.usual_role(person))
    except ValidationError as exc:
        error = exc.messages[0]
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("%(name)s is marked present.") % {"name": person})
        return redirect("activities:training_attendance", training.pk)
    return render(
        request,
        "activities/training/_marked.html",
        {
            "training": training,
            "person": person,
            "cedula": selectors.personal(request.user, person.cedula),
            "present": not error,
            "error": error,
            "oob": True,
            "newly": newly,
            "present_count": Attendance.objects.filter(training=training, attended=True).count(),
        },
    )


@require_POST
def training_unmark(request, pk, attendance_pk):
    training = _changeable(request, pk)
    attendance = get_scoped_or_404(selectors.attendances_of(request.user, training), attendance_pk)
    try:
        services.set_attended(request.user, attendance, False)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("%(name)s is no longer marked present.") % {"name": attendance.person})
    back = "activities:training_detail" if request.POST.get("next") == "detail" else "activities:training_attendance"
    return redirect(back, training.pk)


@require_POST
def training_participation(request, pk, attendance_pk):
    """Trainee or support to the speakers, changed from the training's page (whether the person counts among the
    people trained)."""
    training = _changeable(request, pk)
    attendance = get_scoped_or_404(selectors.attendances_of(request.user, training), attendance_pk)
    try:
        services.set_participation(request.user, attendance, request.POST.get("participation", ""))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("%(name)s took part as: %(participation)s.")
            % {"name": attendance.person, "participation": attendance.get_participation_display().lower()},
        )
    return redirect("activities:training_detail", training.pk)


# --- attendance sheet import ----------------------------------------------------------------------------------


def training_attendance_import(request, pk):
    training = _changeable(request, pk)

    def confirm_as_job(path, params, skip):  # applied by the job queue (activities/jobs.py), never in this request
        return import_jobs.queue(request, jobs.ATTENDANCE_KIND, path, {**params, "training": training.pk}, skip)

    return import_page(
        request,
        template="activities/training/import.html",
        context={
            "title": _("Import an attendance sheet"),
            "training": training,
            "max_mb": attendance_import.MAX_BYTES // (1024 * 1024),
        },
        form_class=SheetForm,
        make_importer=lambda params, skip: attendance_importer(request.user, training, skip=skip),
        extensions=attendance_import.EXTENSIONS,
        max_bytes=attendance_import.MAX_BYTES,
        session_key=f"attendance_import:{training.pk}",  # a token from another training's page is unknown here
        retry_url=reverse("activities:training_attendance_import", args=[training.pk]),
        skip_problem_rows=True,
        confirm_as_job=confirm_as_job,
        applied=import_jobs.applied_result(request.user, jobs.ATTENDANCE_KIND),
    )


# --- certificates ---------------------------------------------------------------------------------------------


@require_POST
def training_issue_certificates(request, pk):
    training = _changeable(request, pk)
    try:
        n = services.issue_certificates(request.user, training)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Certificates issued: %(n)s.") % {"n": n})
    return redirect("activities:training_detail", training.pk)


def _verify_url(request, code):
    return request.build_absolute_uri(reverse("activities:training_verify_code", args=[code]))


def training_certificate(request, pk):
    try:
        attendance = selectors.attendance_for(request.user, pk)
    except (Attendance.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if not attendance.certificate_code or not attendance.attended:
        raise Http404
    pdf = certificates.attendance_pdf(attendance, verify_url=_verify_url(request, attendance.certificate_code))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificado-{attendance.certificate_code}.pdf"'
    return response


# --- public pages: self check-in and certificate verification -------------------------------------------------


@login_not_required
def training_checkin(request, token):
    training = (
        Training.objects.select_related("activity", "activity__place", "activity__parish")
        .filter(checkin_token=token)
        .first()
    )
    if training is None:
        raise Http404
    context = {"title": _("Check-in"), "training": training, "open": services.checkin_is_open(training)}
    form = CheckInForm(request.POST or None, barrios=selectors.barrios_for_training(None, training), prefix="c")
    status = 200
    if request.method == "POST":
        if not context["open"]:
            status = 403
        elif form.is_valid() and not form.cleaned_data.get("website"):
            try:
                participation = form.cleaned_data["participation"]
                attendance, created = services.self_check_in(
                    training,
                    form.person_data(),
                    role=form.cleaned_data["role"],
                    participation=participation,
                    device=request.session,
                )
            except services.CheckInRefused as exc:
                form.add_error(None, exc.messages[0])
                status = 429
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                # echo what the visitor typed, never what is stored; an existing attendance keeps its participation,
                # and the page says so rather than thank them as if their choice were recorded
                context.update(
                    done=True,
                    created=created,
                    name=form.cleaned_data.get("first_names", ""),
                    participation_kept=attendance.participation != participation,
                    chosen=dict(form.fields["participation"].choices)[participation],
                )
                return render(request, "activities/public/checkin.html", context)
    context["form"] = form
    return render(request, "activities/public/checkin.html", context, status=status)


@login_not_required
def training_verify(request, code=None):
    code = selectors.normalise_code(code or request.GET.get("codigo", ""))
    attendance = selectors.certificate(code) if code else None
    context = {"title": _("Certificate verification"), "code": code, "attendance": attendance}
    if attendance:
        training = attendance.training
        context.update(
            training=training,
            day=timezone.localtime(training.activity.starts_at).date(),
            institutions=selectors.institutions_of(training),
        )
    return render(request, "activities/public/verify.html", context, status=404 if code and not attendance else 200)


# --- coverage -------------------------------------------------------------------------------------------------


def training_coverage(request):
    user = request.user
    require(user, "view", Training)
    starts_on, ends_on = selectors.default_period(user)
    form = PeriodForm(request.GET or None, initial={"desde": starts_on, "hasta": ends_on})
    if request.GET and form.is_valid():
        starts_on, ends_on = form.cleaned_data["desde"], form.cleaned_data["hasta"]
    elif not request.GET:
        form = PeriodForm(initial={"desde": starts_on, "hasta": ends_on})
    data = selectors.coverage(user, starts_on, ends_on)
    return render(request, "activities/training/coverage.html", {"title": _("Training coverage"), "form": form, **data})
