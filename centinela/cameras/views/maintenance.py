"""Maintenance: tickets (open, assign, progress, resolve) and preventive schedules."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from centinela.accounts.permissions import can, require
from centinela.cameras import columns, selectors, services
from centinela.cameras.filters import TicketFilter
from centinela.cameras.forms import (
    AssignForm,
    ProgressForm,
    ResolveForm,
    ScheduleDoneForm,
    ScheduleForm,
    TicketForm,
)
from centinela.cameras.models import (
    MaintenanceSchedule,
    MaintenanceTicket,
)
from centinela.lib.views import add_errors, form_view, get_scoped_or_404, list_view


def ticket_list(request):
    return list_view(
        request,
        queryset=selectors.tickets_for(request.user),
        filterset_class=TicketFilter,
        columns=columns.TICKET,
        title=_("Maintenance tickets"),
        basename="mantenimiento",
        add_url=reverse("cameras:ticket_create"),
        extra={"add_choices": [(reverse("cameras:schedule_list"), _("Preventive maintenance"))]},
    )


def ticket_detail(request, pk, forms=None, status=200):
    user = request.user
    ticket = get_scoped_or_404(selectors.tickets_for(user), pk)
    can_change = can(user, "change", ticket)
    open_ = ticket.status != MaintenanceTicket.Status.RESOLVED
    forms = forms or {}
    return render(
        request,
        "cameras/ticket_detail.html",
        {
            "ticket": ticket,
            "citizen_reports": list(selectors.ticket_citizen_reports(user, ticket)),
            "opened_by_citizen": selectors.opened_by_citizen(ticket),
            "can_change": can_change and open_,
            "assign_form": forms.get("assign")
            or AssignForm(initial={"assigned_to": ticket.assigned_to_id}, user=user, ticket=ticket),
            "progress_form": forms.get("progress") or ProgressForm(),
            "resolve_form": forms.get("resolve") or ResolveForm(),
        },
        status=status,
    )


def ticket_create(request):
    user = request.user
    require(user, "add", MaintenanceTicket)
    initial = {"device": request.GET.get("device")} if request.GET.get("device") else None
    form = TicketForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.open_ticket(user, form.cleaned_data["device"], form.cleaned_data["description"])
        except ValidationError as exc:
            add_errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("You may not save this record here (it belongs to another parish)."))
        else:
            messages.success(request, _("Saved."))
            return redirect(ticket.get_absolute_url())
    return render(
        request, "lib/form.html", {"form": form, "title": _("Report a failure"), "object": MaintenanceTicket()}
    )


def _ticket_action(request, pk, key, form_class, apply):
    ticket = get_scoped_or_404(selectors.tickets_for(request.user), pk)
    if request.method != "POST":
        return redirect(ticket.get_absolute_url())
    require(request.user, "change", ticket)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            apply(ticket, form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(ticket.get_absolute_url())
    return ticket_detail(request, pk, forms={key: form}, status=400)


def ticket_assign(request, pk):
    def form_class(data):
        return AssignForm(data, user=request.user, ticket=get_scoped_or_404(selectors.tickets_for(request.user), pk))

    return _ticket_action(
        request,
        pk,
        "assign",
        form_class,
        lambda t, d: services.assign_ticket(request.user, t, d["assigned_to"], d.get("notes", "")),
    )


def ticket_progress(request, pk):
    def apply(ticket, data):
        if ticket.status == MaintenanceTicket.Status.IN_PROGRESS:
            services.add_ticket_note(request.user, ticket, data["notes"])
        else:
            services.start_ticket(request.user, ticket, data["notes"])

    return _ticket_action(request, pk, "progress", ProgressForm, apply)


def ticket_resolve(request, pk):
    def apply(ticket, data):
        services.resolve_ticket(
            request.user, ticket, cause=data["cause"], parts=data.get("parts", ""), cost=data["cost"]
        )
        if data.get("notes"):
            services.add_ticket_note(request.user, ticket, data["notes"])

    return _ticket_action(request, pk, "resolve", ResolveForm, apply)


def schedule_list(request):
    user = request.user
    require(user, "view", MaintenanceSchedule)
    today = timezone.localdate()
    schedules = selectors.schedules_for(user)
    groups = {
        "overdue": list(schedules.filter(next_due__lt=today)),
        "due": list(selectors.due_schedules(user, today=today).filter(next_due__gte=today)),
        "later": list(schedules.filter(next_due__gt=today + timedelta(days=14))),
    }
    done_on = ScheduleDoneForm.base_fields["done_on"]
    visits = services.preventive_visits([s for rows in groups.values() for s in rows])
    for rows in groups.values():
        for s in rows:  # the latest visit, how late it is, and whether this user may record one
            s.last_visit = visits.get(s.pk)
            s.days_overdue = (today - s.next_due).days if s.next_due < today else 0
            s.can_done = can(user, "change", s)
            if s.can_done:  # the project's date picker (dd/mm/aaaa), one per row, today by default
                s.done_on_input = done_on.widget.render(
                    "done_on", today, attrs={"id": f"done-on-{s.pk}", "required": True}
                )
    return render(
        request,
        "cameras/schedule_list.html",
        {
            **groups,
            "today": today,
            "can_add": can(user, "add", MaintenanceSchedule),
        },
    )


@require_POST
def schedule_done(request, pk):
    """Record that a preventive task was done (date and note): its next due date moves on."""
    user = request.user
    schedule = get_scoped_or_404(selectors.schedules_for(user), pk)
    require(user, "change", schedule)
    form = ScheduleDoneForm(request.POST)
    if form.is_valid():
        try:
            services.complete_schedule(
                user, schedule, done_on=form.cleaned_data["done_on"], note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
    if form.errors:
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(
            request,
            _("Not recorded (%(task)s, %(code)s): %(problems)s")
            % {"task": schedule.task, "code": schedule.device.code, "problems": problems},
        )
        return redirect(reverse("cameras:schedule_list"))
    messages.success(
        request,
        _("Done recorded: %(task)s at %(code)s, next due on %(date)s.")
        % {"task": schedule.task, "code": schedule.device.code, "date": schedule.next_due.strftime("%d/%m/%Y")},
    )
    return redirect(reverse("cameras:schedule_list"))


def schedule_create(request):
    schedule = MaintenanceSchedule()
    return form_view(
        request,
        form_class=ScheduleForm,
        instance=schedule,
        save=services.save_record,
        title=_("New preventive maintenance"),
        success_url=lambda obj: reverse("cameras:schedule_list"),
        form_kwargs={"user": request.user},
    )
