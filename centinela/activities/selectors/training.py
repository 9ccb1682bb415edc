"""Reading trainings, the people who attend them, certificates and coverage, always through the one permission scope.

Personal data (cédula, phone) leaves this module masked unless the reader may see it (LOPDP)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from centinela.accounts.models import Role
from centinela.accounts.permissions import can_see_personal_data, scope
from centinela.activities import indicators
from centinela.activities.models import Activity, Attendance, IndicatorTarget, Person, Programme, Training
from centinela.activities.selectors.plans import current_plan
from centinela.lib.search import matches
from centinela.territory.models import Barrio, Parish, Place

TRAINING_PROGRAMME_KINDS = (Programme.Kind.TRAINING, Programme.Kind.EDUCATION)
COVERAGE_METRICS = ("trainings_held", "people_trained")


def is_parish_president(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.role == Role.PARISH_PRESIDENT and user.parish_id)


def mask(value: str | None) -> str:
    """11******89: enough to tell two people apart on a sheet, not enough to reuse the number."""
    if not value:
        return ""
    if len(value) <= 4:
        return "*" * len(value)
    return value[:2] + "*" * (len(value) - 4) + value[-2:]


def personal(user, value: str | None) -> str:
    return (value or "") if can_see_personal_data(user) else mask(value)


def normalise(text: str) -> str:
    """Lower case without accents or extra spaces: how names and labels typed by hand are compared."""
    text = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).lower().split())


# --- trainings -------------------------------------------------------------------------------------------------


def trainings_for(user):
    return scope(
        user,
        Training.objects.select_related(
            "activity", "activity__programme", "activity__programme__plan", "activity__parish", "activity__place"
        ).annotate(
            present=Count("attendances", filter=Q(attendances__attended=True)),
            # the figure the indicators add up: present to be trained (not the speakers' support team)
            trained=Count(
                "attendances",
                filter=Q(attendances__attended=True, attendances__participation=Attendance.Participation.TRAINEE),
            ),
        ),
    ).order_by("-activity__starts_at", "-pk")


def training_programmes(user):
    """Programmes a training may belong to. A parish president also sees the cantonal programmes (a plan without a
    parish): trainings in their parish are run under them, and a programme's name is not personal or parish data."""
    from centinela.activities.selectors.plans import programme_choices

    return programme_choices(user).filter(kind__in=TRAINING_PROGRAMME_KINDS)


def parishes_for(user):
    return scope(user, Parish.objects.all()).order_by("name")


def barrios_for(user, parish=None):
    qs = scope(user, Barrio.objects.select_related("parish")).order_by("parish__name", "name")
    return qs.filter(parish=parish) if parish is not None else qs


def barrios_for_training(user, training: Training):
    """The barrios offered when registering someone at a training: those of its parish when it has any, else all
    the user may see (`user=None`: the public check-in page, which may list barrio names)."""
    barrios = Barrio.objects.select_related("parish").order_by("parish__name", "name")
    if user is not None:
        barrios = scope(user, barrios)
    parish_id = training.activity.parish_id
    if parish_id and barrios.filter(parish=parish_id).exists():
        return barrios.filter(parish=parish_id)
    return barrios


def places_for(user):
    return scope(user, Place.objects.select_related("parish")).order_by("name")


def attendances_of(user, training: Training):
    return scope(
        user,
        Attendance.objects.filter(training=training).select_related("person", "person__barrio", "institution"),
    ).order_by("person__last_names", "person__first_names")


def attendance_for(user, pk):
    return scope(user, Attendance.objects.select_related("person", "training", "training__activity")).get(pk=pk)


def speakers_of(training: Training):
    return training.speakers.select_related("institution").order_by("pk")


def institutions_of(training: Training) -> list[str]:
    """The institutions that gave the training: its speakers' institutions, in the order they were entered."""
    names = []
    for speaker in speakers_of(training):
        name = speaker.institution.name
        if name not in names:
            names.append(name)
    return names


# --- people -----------------------------------------------------------------------------------------------------


def people_for(user):
    return scope(user, Person.objects.select_related("barrio", "parish"))


def search_people(user, query: str, *, limit: int = 10):
    """By cédula (digits) or by names (every word somewhere in the first or last names). The cédula matches by its
    start for those who may read it, and only whole for everyone else: a prefix search shows which next digit has
    people behind it, so with the masked ends (`mask`) a few dozen searches would spell out a cédula they may not
    read; typing the whole number finds the person it belongs to, which is what taking attendance needs."""
    query = (query or "").strip()
    if len(query) < 2:
        return Person.objects.none()
    qs = people_for(user)
    if query.isdigit():
        qs = qs.filter(cedula__startswith=query) if can_see_personal_data(user) else qs.filter(cedula=query)
    else:
        for word in query.split():
            qs = qs.filter(matches(("first_names", "last_names"), word))
    return qs.order_by("last_names", "first_names")[:limit]


def present_ids(training: Training, people) -> set[int]:
    return set(
        Attendance.objects.filter(training=training, attended=True, person__in=[p.pk for p in people]).values_list(
            "person_id", flat=True
        )
    )


def usual_role(person: Person) -> str:
    last = person.attendances.order_by("-registered_at").values_list("role", flat=True).first()
    return last or Attendance.Role.RESIDENT


def find_person(*, cedula: str | None, first_names: str, last_names: str, training: Training | None = None):
    """The person a new registration refers to: by cédula when there is one; without one (a minor) only someone of
    the same names already registered for this very training, so two children with the same name in different
    trainings stay two people."""
    if cedula:
        return Person.objects.filter(cedula=cedula).first()
    if training is None:
        return None
    for attendance in Attendance.objects.filter(training=training, person__cedula=None).select_related("person"):
        p = attendance.person
        if normalise(p.first_names) == normalise(first_names) and normalise(p.last_names) == normalise(last_names):
            return p
    return None


# --- certificates -----------------------------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def certificate(code: str) -> Attendance | None:
    """A valid certificate: the code exists, on an attendance that really happened. Public: no scope."""
    code = normalise_code(code)
    if not code:
        return None
    return (
        Attendance.objects.filter(certificate_code=code, attended=True)
        .select_related("person", "training", "training__activity", "training__activity__place")
        .first()
    )


# --- coverage ---------------------------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    name: str
    parish: Parish | None = None
    barrio: Barrio | None = None
    held: int = 0
    people: int = 0
    targets: list = field(default_factory=list)  # indicators.Progress for targets of this parish (or the canton)


def _held(starts_on: date, ends_on: date):
    """Trainings done in the period: the same definition as the trainings_held metric."""
    lo, hi = indicators.local_day_bounds(starts_on, ends_on)
    return Activity.objects.filter(starts_at__range=(lo, hi), kind=Activity.Kind.TRAINING, status=Activity.Status.DONE)


def coverage(user, starts_on: date, ends_on: date) -> dict:
    """Per parish and barrio in the user's scope: trainings held (done) in the period, distinct people trained
    (trainees: not those who came with the speakers), and the progress of the trainings_held / people_trained
    indicator targets of each parish (and of the canton)."""
    parishes = list(parishes_for(user))
    ids = [p.pk for p in parishes]
    done = _held(starts_on, ends_on)
    attended = Attendance.objects.trained().filter(training__activity__in=done)

    held_by_parish = dict(done.filter(parish__in=ids).values_list("parish").annotate(n=Count("id")))
    people_by_parish = dict(
        attended.filter(training__activity__parish__in=ids)
        .values_list("training__activity__parish")
        .annotate(n=Count("person", distinct=True))
    )
    barrios = list(barrios_for(user))
    held_by_barrio = dict(
        done.filter(barrios__in=[b.pk for b in barrios]).values_list("barrios").annotate(n=Count("id", distinct=True))
    )
    people_by_barrio = dict(
        attended.filter(person__barrio__in=[b.pk for b in barrios])
        .values_list("person__barrio")
        .annotate(n=Count("person", distinct=True))
    )

    targets = (
        scope(user, IndicatorTarget.objects.select_related("indicator", "indicator__programme", "parish"))
        .filter(indicator__metric__in=COVERAGE_METRICS, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .order_by("indicator__code", "starts_on")
    )
    by_parish: dict[int | None, list] = {}
    for t in targets:
        progress = indicators.Progress(t.indicator, t, indicators.actual(t.indicator, t.starts_on, t.ends_on, t.parish))
        by_parish.setdefault(t.parish_id, []).append(progress)

    rows = []
    for parish in parishes:
        rows.append(
            CoverageRow(
                parish.name,
                parish=parish,
                held=held_by_parish.get(parish.pk, 0),
                people=people_by_parish.get(parish.pk, 0),
                targets=by_parish.get(parish.pk, []),
            )
        )
        for b in (b for b in barrios if b.parish_id == parish.pk):
            rows.append(
                CoverageRow(
                    b.name,
                    parish=parish,
                    barrio=b,
                    held=held_by_barrio.get(b.pk, 0),
                    people=people_by_barrio.get(b.pk, 0),
                )
            )

    canton = None
    if not is_parish_president(user):  # the canton as a whole is not one parish's business
        canton = CoverageRow(
            "canton",
            held=done.count(),
            people=attended.values("person").distinct().count(),
            targets=by_parish.get(None, []),
        )
    return {"rows": rows, "canton": canton, "starts_on": starts_on, "ends_on": ends_on}


def default_period(user, today: date | None = None) -> tuple[date, date]:
    """The current cantonal plan's period when there is one, else the calendar year."""
    today = today or timezone.localdate()
    plan = current_plan(user, today)
    if plan and plan.starts_on <= today <= plan.ends_on:
        return plan.starts_on, plan.ends_on
    return date(today.year, 1, 1), date(today.year, 12, 31)
