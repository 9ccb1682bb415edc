"""Training pages: list, create/edit, detail, attendance on a phone (search-or-add), attendance sheet import,
QR self check-in (public), certificates and their public verification, and coverage per parish and barrio.

Views stay thin: reads come from training_selectors, changes from training_services (which check permissions)."""
from __future__ import annotations

import django_filters
from django import forms
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
from centinela.activities import attendance_import, certificates
from centinela.activities import training_selectors as selectors
from centinela.activities import training_services as services
from centinela.activities.attendance_import import attendance_importer
from centinela.activities.cedula import validate_cedula
from centinela.activities.models import Activity, ActivityPartner, Attendance, Person, Programme, Training
from centinela.lib import dates
from centinela.lib.exports import FORMATS, Column, export_response
from centinela.lib.import_views import import_page
from centinela.lib.uploads import size_limit
from centinela.lib.views import add_errors, get_scoped_or_404, list_view
from centinela.partners.models import Institution
from centinela.territory.filters import SearchFilterSet
from centinela.territory.models import Barrio, Parish

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


# --- list -----------------------------------------------------------------------------------------------------


def _parishes(request):
    return selectors.parishes_for(request.user) if request else Parish.objects.none()


def _programmes(request):
    return selectors.training_programmes(request.user) if request else Programme.objects.none()


class TrainingFilter(SearchFilterSet):
    search_fields = ("topic", "audience", "activity__title", "activity__place__name")
    period = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Period"), field_name="activity__starts_at__date",
        widget=django_filters.widgets.RangeWidget(attrs={"type": "date"}),
    )
    parish = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Parish"), field_name="activity__parish", queryset=_parishes
    )
    programme = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Programme"), field_name="activity__programme", queryset=_programmes
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), field_name="activity__status", choices=Activity.Status.choices
    )

    class Meta:
        model = Training
        fields = ["q", "period", "parish", "programme", "status"]


COLUMNS = [
    Column("starts_at", gettext_lazy("Date"), lambda t: _local(t.activity.starts_at)),
    Column("topic", gettext_lazy("Topic"), lambda t: t.topic, link=True),
    Column("programme", gettext_lazy("Programme"), lambda t: t.activity.programme.code),
    Column("parish", gettext_lazy("Parish"), lambda t: t.activity.parish.name if t.activity.parish else ""),
    Column("place", gettext_lazy("Place"), lambda t: t.activity.place.name if t.activity.place else ""),
    Column("hours", gettext_lazy("Hours"), lambda t: float(t.hours)),
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


class TrainingForm(forms.ModelForm):
    """One form for the Activity (kind training) and its Training row."""

    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=250)
    audience = forms.CharField(label=gettext_lazy("Audience"), max_length=250, required=False,
                               help_text=gettext_lazy("Who the training is for, e.g. barrio leaders and residents."))
    hours = forms.DecimalField(label=gettext_lazy("Hours"), max_digits=5, decimal_places=1, min_value=0, initial=2)
    institutions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Invited institutions"), queryset=Institution.objects.filter(active=True), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    field_order = ["programme", "topic", "title", "audience", "starts_at", "ends_at", "hours", "place", "parish", "barrios",
                   "institutions", "description"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = selectors.training_programmes(user)
        self.fields["place"].queryset = selectors.places_for(user)
        self.fields["parish"].queryset = selectors.parishes_for(user)
        self.fields["barrios"].queryset = selectors.barrios_for(user)
        self.fields["barrios"].label_from_instance = lambda b: f"{b.name} ({b.parish.name})"
        self.fields["title"].required = False
        self.fields["title"].help_text = gettext_lazy("Empty: the topic.")
        self.fields["place"].help_text = gettext_lazy("The venue, e.g. Salón de los Alcaldes. The parish follows from it.")
        self.fields["institutions"].label_from_instance = lambda i: i.name
        if selectors.is_parish_president(user):
            self.fields["parish"].required = True
            self.fields["parish"].initial = user.parish_id
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = DATETIME_FORMATS

    class Meta:
        model = Activity
        fields = ["programme", "title", "description", "starts_at", "ends_at", "place", "parish", "barrios"]
        widgets = {
            "starts_at": DATETIME, "ends_at": DATETIME, "description": forms.Textarea(attrs={"rows": 3}),
            "barrios": forms.CheckboxSelectMultiple,
        }


class SpeakerForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=gettext_lazy("Institution"), queryset=Institution.objects.filter(active=True), required=False
    )
    name = forms.CharField(label=gettext_lazy("Speaker"), max_length=160, required=False)
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=250, required=False)

    def clean(self):
        data = super().clean()
        if (data.get("name") or data.get("subject")) and not data.get("institution"):
            self.add_error("institution", _("Say which institution the speaker comes from."))
        if data.get("institution") and not data.get("name"):
            self.add_error("name", _("Write the speaker's name."))
        return data


SpeakerFormSet = forms.formset_factory(SpeakerForm, extra=2, can_delete=True)


def _training_form(request, training: Training, title: str):
    activity = training.activity if training.pk else Activity(kind=Activity.Kind.TRAINING)
    user = request.user
    initial = {"topic": training.topic, "audience": training.audience, "hours": training.hours}
    if training.pk:
        initial["institutions"] = list(
            activity.partner_roles.filter(role=ActivityPartner.Role.SPEAKER).values_list("institution", flat=True)
        )
    form = TrainingForm(request.POST or None, instance=activity, user=user, initial=initial)
    speaker_initial = [
        {"institution": s.institution_id, "name": s.name, "subject": s.subject} for s in selectors.speakers_of(training)
    ] if training.pk else []
    speakers = SpeakerFormSet(request.POST or None, prefix="speakers", initial=speaker_initial)
    if request.method == "POST" and form.is_valid() & speakers.is_valid():  # & so both show their errors
        activity = form.save(commit=False)
        training.topic, training.audience, training.hours = (form.cleaned_data[k] for k in ("topic", "audience", "hours"))
        rows = [
            {k: f.cleaned_data[k] for k in ("institution", "name", "subject")}
            for f in speakers.forms
            if f.cleaned_data.get("institution") and not f.cleaned_data.get("DELETE")
        ]
        try:
            services.save_training(
                user, activity, training, barrios=form.cleaned_data["barrios"], speakers=rows,
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
    return render(request, "activities/training/form.html", {"form": form, "speakers": speakers, "title": title, "training": training})


def training_create(request):
    require(request.user, "add", Training)
    return _training_form(request, Training(), _("New training"))


def training_edit(request, pk):
    training = get_scoped_or_404(selectors.trainings_for(request.user), pk)
    require(request.user, "change", training)
    return _training_form(request, training, _("Edit training"))


# --- detail ---------------------------------------------------------------------------------------------------


def _attendance_columns(user):
    return [
        Column("last_names", gettext_lazy("Last names"), lambda a: a.person.last_names),
        Column("first_names", gettext_lazy("First names"), lambda a: a.person.first_names),
        Column("cedula", gettext_lazy("Cédula"), lambda a: selectors.personal(user, a.person.cedula)),
        Column("phone", gettext_lazy("Phone"), lambda a: selectors.personal(user, a.person.phone)),
        Column("role", gettext_lazy("Role"), lambda a: a.role),
        Column("sex", gettext_lazy("Sex"), lambda a: a.person.sex),
        Column("age_band", gettext_lazy("Age band"), lambda a: a.person.age_band),
        Column("barrio", gettext_lazy("Barrio"), lambda a: a.person.barrio.name if a.person.barrio else ""),
        Column("consent", gettext_lazy("Consent"), lambda a: "si" if a.person.consent else "no"),
        Column("attended", gettext_lazy("Attended"), lambda a: "si" if a.attended else "no"),
        Column("via", gettext_lazy("Registered"), lambda a: a.via),
        Column("certificate_code", gettext_lazy("Certificate"), lambda a: a.certificate_code or ""),
    ]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Activity.Status.choices)
    reason = forms.CharField(label=gettext_lazy("Reason (if postponed or cancelled)"), max_length=250, required=False)


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
            (a, selectors.personal(user, a.person.cedula), selectors.personal(user, a.person.phone)) for a in attendances
        ],
        "present": sum(1 for a in attendances if a.attended),
        "personal_data": can_see_personal_data(user),
        "can_change": can_change,
        "status_form": StatusForm(initial={"status": activity.status, "reason": activity.status_reason}),
        "is_done": activity.status == Activity.Status.DONE,
        "checkin_open": services.checkin_is_open(training),
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
        messages.success(request, _("Self check-in is open.") if training.checkin_open else _("Self check-in is closed."))
    return redirect("activities:training_detail", training.pk)


def training_checkin_poster(request, pk):
    """A page to print or project: the QR code, big, with the address written out."""
    training = _changeable(request, pk)
    url = _checkin_url(request, training)
    return render(request, "activities/training/poster.html", {
        "title": training.topic, "training": training, "checkin_url": url, "qr_svg": certificates.qr_svg(url, scale=10),
        "checkin_open": services.checkin_is_open(training),
    })


# --- attendance on a phone ------------------------------------------------------------------------------------


class PersonForm(forms.Form):
    """Shared by staff registration and self check-in: names, cédula (optional under 18), disaggregation, consent."""

    first_names = forms.CharField(label=gettext_lazy("First names"), max_length=120)
    last_names = forms.CharField(label=gettext_lazy("Last names"), max_length=120)
    cedula = forms.CharField(
        label=gettext_lazy("Cédula"), max_length=13, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=gettext_lazy("Optional for minors."),
    )
    age_band = forms.ChoiceField(label=gettext_lazy("Age band"), choices=[("", "—")] + Person.AgeBand.choices, required=False)
    sex = forms.ChoiceField(label=gettext_lazy("Sex"), choices=[("", "—")] + Person.Sex.choices, required=False)
    barrio = forms.ModelChoiceField(label=gettext_lazy("Barrio"), queryset=Barrio.objects.none(), required=False)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Attendance.Role.choices, initial=Attendance.Role.RESIDENT)
    consent = forms.BooleanField(
        label=gettext_lazy("Consents to the processing of their personal data (for a minor, their parent or guardian)"),
        error_messages={"required": gettext_lazy("Without consent to data processing the person's data cannot be stored.")},
    )

    def __init__(self, *args, barrios, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["barrio"].queryset = barrios
        self.fields["barrio"].label_from_instance = lambda b: f"{b.name} ({b.parish.name})"

    def clean_cedula(self):
        value = "".join(self.cleaned_data["cedula"].split()).replace("-", "")
        validate_cedula(value)
        return value

    def clean(self):
        data = super().clean()
        if not data.get("cedula") and data.get("age_band") != Person.AgeBand.UNDER_18 and "cedula" not in self.errors:
            self.add_error("cedula", _("The cédula is required for adults."))
        return data

    def person_data(self) -> services.PersonData:
        d = self.cleaned_data
        return services.PersonData(
            first_names=d["first_names"], last_names=d["last_names"], cedula=d["cedula"], age_band=d["age_band"],
            sex=d["sex"], barrio=d["barrio"], phone=d.get("phone", ""), consent=d["consent"],
        )


class StaffPersonForm(PersonForm):
    phone = forms.CharField(
        label=gettext_lazy("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    institution = forms.ModelChoiceField(
        label=gettext_lazy("Institution"), queryset=Institution.objects.filter(active=True), required=False
    )
    present = forms.BooleanField(
        label=gettext_lazy("Present now"), required=False, initial=True,
        help_text=gettext_lazy("Untick to register the person ahead of the session."),
    )
    field_order = ["first_names", "last_names", "cedula", "age_band", "sex", "barrio", "phone", "role", "institution", "consent", "present"]

    def clean(self):
        data = super().clean()
        # An unticked checkbox is simply absent from a POST. The page's form says it showed the box (present_shown);
        # a client that never showed it (older pages, scripts) means "present", as before.
        if self.data.get(self.add_prefix("present_shown")) != "1":
            data["present"] = True
        return data


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
                user, training, form.person_data(), role=form.cleaned_data["role"],
                institution=form.cleaned_data["institution"], present=present,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("You may not register people of another parish."))
        else:
            if not present:
                messages.success(request, _("%(name)s is registered; mark them present when they arrive.") % {"name": attendance.person})
            elif marked:
                messages.success(request, _("%(name)s is marked present.") % {"name": attendance.person})
            else:
                messages.info(request, _("%(name)s was already marked present.") % {"name": attendance.person})
            return redirect("activities:training_attendance", training.pk)
    query = request.GET.get("q", "")
    present = selectors.attendances_of(user, training).filter(attended=True).order_by("-registered_at")
    registered = selectors.attendances_of(user, training).filter(attended=False).select_related("person").order_by("person__last_names")
    return render(request, "activities/training/attendance.html", {
        "title": _("Attendance"), "form": form, "present_list": present[:30], "present_count": present.count(),
        "registered_list": registered[:200],
        **_search_context(request, training, query),
    })


def training_person_search(request, pk):
    training = _changeable(request, pk)
    return render(request, "activities/training/_search_results.html", _search_context(request, training, request.GET.get("q", "")))


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
    return render(request, "activities/training/_marked.html", {
        "training": training, "person": person, "cedula": selectors.personal(request.user, person.cedula),
        "present": not error, "error": error, "oob": True, "newly": newly,
        "present_count": Attendance.objects.filter(training=training, attended=True).count(),
    })


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


# --- attendance sheet import ----------------------------------------------------------------------------------


class SheetForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Attendance sheet (CSV or XLSX)"), validators=[size_limit])


def training_attendance_import(request, pk):
    training = _changeable(request, pk)

    def on_success(result, params):
        c = result.counts
        message = _(
            "Attendance imported: %(new)s marked present, %(already)s already present, %(people)s new people, "
            "%(skipped)s rows skipped."
        ) % {"new": c["attendance_new"], "already": c["already_present"], "people": c["people_new"], "skipped": c["skipped"]}
        return message, reverse("activities:training_detail", args=[training.pk])

    return import_page(
        request, template="activities/training/import.html",
        context={
            "title": _("Import an attendance sheet"), "training": training,
            "max_mb": attendance_import.MAX_BYTES // (1024 * 1024),
        },
        form_class=SheetForm, make_importer=lambda params, skip: attendance_importer(request.user, training, skip=skip),
        extensions=attendance_import.EXTENSIONS, max_bytes=attendance_import.MAX_BYTES,
        session_key=f"attendance_import:{training.pk}",  # a token from another training's page is unknown here
        on_success=on_success, retry_url=reverse("activities:training_attendance_import", args=[training.pk]),
        skip_problem_rows=True,
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
    except (Attendance.DoesNotExist, ValueError):
        raise Http404
    if not attendance.certificate_code or not attendance.attended:
        raise Http404
    pdf = certificates.attendance_pdf(attendance, verify_url=_verify_url(request, attendance.certificate_code))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificado-{attendance.certificate_code}.pdf"'
    return response


# --- public pages: self check-in and certificate verification -------------------------------------------------


class CheckInForm(PersonForm):
    # Hidden from people by the stylesheet; form-filling robots fill it, and their submissions are dropped.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "role" in self.fields:
            self.fields["role"].choices = [(r.value, r.label) for r in services.PUBLIC_ROLES]


@login_not_required
def training_checkin(request, token):
    training = Training.objects.select_related("activity", "activity__place", "activity__parish").filter(checkin_token=token).first()
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
                attendance, created = services.self_check_in(
                    training, form.person_data(), role=form.cleaned_data["role"], device=request.session
                )
            except services.CheckInRefused as exc:
                form.add_error(None, exc.messages[0])
                status = 429
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                # echo what the visitor typed, never what is stored
                context.update(done=True, created=created, name=form.cleaned_data.get("first_names", ""))
                return render(request, "public/checkin.html", context)
    context["form"] = form
    return render(request, "public/checkin.html", context, status=status)


@login_not_required
def training_verify(request, code=None):
    code = selectors.normalise_code(code or request.GET.get("codigo", ""))
    attendance = selectors.certificate(code) if code else None
    context = {"title": _("Certificate verification"), "code": code, "attendance": attendance}
    if attendance:
        training = attendance.training
        context.update(
            training=training, day=timezone.localtime(training.activity.starts_at).date(),
            institutions=selectors.institutions_of(training),
        )
    return render(request, "public/verify.html", context, status=404 if code and not attendance else 200)


# --- coverage -------------------------------------------------------------------------------------------------


class PeriodForm(forms.Form):
    desde = dates.DateField(label=gettext_lazy("From"), widget=DATE)
    hasta = dates.DateField(label=gettext_lazy("To"), widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("desde") and data.get("hasta") and data["hasta"] < data["desde"]:
            raise ValidationError(_("The period ends before it starts."))
        return data


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

