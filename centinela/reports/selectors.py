"""Reading one year for the accountability report (rendición de cuentas): a single data structure, `AnnualReport`,
that the HTML, DOCX and PDF renderers all draw from, so the three always say the same thing.

Every figure comes from the records: activity counts and budgets from Activity, indicator actuals from
activities.indicators, people from Attendance, contributions from ActivityPartner.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from centinela.accounts.permissions import scope
from centinela.activities import indicators
from centinela.activities.models import (
    Activity,
    ActivityPartner,
    Attendance,
    CouncilSession,
    Evidence,
    Plan,
    Programme,
    WorkingGroupMember,
)
from centinela.partners.models import Agreement
from centinela.reports import narrative
from centinela.reports.formatting import contracted, ratio_percent, with_article
from centinela.territory.models import Canton, Parish

PHOTO_LIMIT = 12
PHOTO_MAX_PX = 900


@dataclass
class IndicatorRow:
    programme: str
    code: str
    name: str
    unit: str
    scope: str  # the canton or a parish
    target: Decimal
    actual: Decimal
    percent: int | None


@dataclass
class ProgrammeSection:
    code: str
    name: str
    kind: str
    objective: str
    narrative: list[str]
    activities: int  # not cancelled
    done: int
    percent_done: int | None
    budget_planned: Decimal
    budget_executed: Decimal
    percent_executed: int | None
    in_kind: Decimal
    indicators: list[IndicatorRow]


@dataclass
class ParishRow:
    name: str
    kind: str
    trainings: int
    people: int
    women: int
    presidents: int


@dataclass
class PartnerRow:
    name: str
    kind: str
    roles: list[str]
    activities: int
    in_kind: Decimal
    contributions: list[str]


@dataclass
class ObligationRow:
    party: str
    description: str
    fulfilled_by: list[str]


@dataclass
class AgreementRow:
    code: str
    title: str
    counterpart: str
    signed_on: date
    valid_until: date | None
    purpose: str
    obligations: list[ObligationRow]


@dataclass
class ResolutionRow:
    number: str
    text: str
    owner: str
    status: str
    done_on: date | None
    open: bool = False  # pending or in progress at the time of the report


@dataclass
class SessionRow:
    title: str
    held_at: datetime
    place: str
    agenda: str
    present: list[str]
    resolutions: list[ResolutionRow]


@dataclass
class Photo:
    title: str
    caption: str
    data: bytes  # PNG or JPEG, at most PHOTO_MAX_PX on its longer side
    content_type: str


@dataclass
class MapPoint:
    lon: float
    lat: float
    kind: str  # Activity.Kind value
    label: str


@dataclass
class MapArea:
    name: str
    kind: str  # Parish.Kind value
    geometry: object  # shapely, WGS84
    approximate: bool
    people: int = 0


@dataclass
class Totals:
    activities: int = 0
    done: int = 0
    percent_done: int | None = None
    budget_planned: Decimal = Decimal(0)
    budget_executed: Decimal = Decimal(0)
    percent_executed: int | None = None
    in_kind: Decimal = Decimal(0)
    trainings: int = 0
    people_trained: int = 0


@dataclass
class SurveillanceSummary:
    """The video-surveillance network in the year, from the camera inventory and the monitor's records."""

    rows: list[tuple[str, str]]  # (figure, value), already formatted

    def __bool__(self):
        return bool(self.rows)


def _surveillance(user, year: int) -> SurveillanceSummary:
    from centinela.cameras import availability
    from centinela.cameras.models import (
        MONITORED_STATES,
        Device,
        FootageRequest,
        Lifecycle,
        MaintenanceTicket,
        System,
    )
    from centinela.cameras.selectors import lifecycle_at
    from centinela.reports.formatting import number

    lo, hi = year_bounds(year)
    # the network as it stood on 31 December of the year (its status history), not as it stands today
    everything = list(_scoped(user, Device.objects.select_related("system")))
    states = lifecycle_at(everything, hi)
    devices = [d for d in everything if states[d.pk] not in (None, Lifecycle.DECOMMISSIONED)]
    if not devices:
        return SurveillanceSummary([])
    systems = _scoped(user, System.objects.filter(pk__in={d.system_id for d in devices}))
    net = (
        availability.network_availability(lo, min(hi, timezone.now()), devices=devices) if lo < timezone.now() else None
    )
    tickets = _scoped(user, MaintenanceTicket.objects.filter(opened_at__range=(lo, hi)))
    footage = FootageRequest.objects.filter(requested_at__range=(lo, hi), devices__in=devices).distinct()
    rows = [
        (_("Camera systems"), number(systems.count())),
        (_("Systems reactivated in the year"), number(systems.filter(reactivated_on__year=year).count())),
        # in service: watched by the monitor (installed, operational, offline, degraded), not planned or abandoned
        (
            _("Cameras in service on 31 December %(year)s") % {"year": year},
            number(sum(1 for d in devices if states[d.pk] in MONITORED_STATES)),
        ),
        (
            _("Cameras monitored by the ECU 911 room"),
            number(sum(1 for d in devices if d.system.monitored_by == System.MonitoredBy.ECU911_ROOM)),
        ),
    ]
    if net is not None and net.uptime_pct is not None:
        rows.append(
            (_("Network availability in the year (monitored time)"), f"{net.uptime_pct:.1f} %".replace(".", ","))
        )
        rows.append((_("Outages detected"), number(net.outages)))
        if net.mttr_hours is not None:
            rows.append((_("Mean time to repair (hours)"), f"{net.mttr_hours:.1f}".replace(".", ",")))
    rows += [
        (_("Maintenance tickets opened"), number(tickets.count())),
        # resolved by 31 December: a ticket closed the next year was still open in this year's account
        (_("Maintenance tickets resolved"), number(tickets.filter(resolved_at__lte=hi).count())),
        (_("Footage requests from Policía or Fiscalía"), number(footage.count())),
    ]
    rows += _incident_coverage_rows(user, year)
    return SurveillanceSummary(rows)


def _incident_coverage_rows(user, year: int) -> list[tuple[str, str]]:
    """The headline indicator: the year's incidents and the share in view of a working camera (cameras.selectors)."""
    from centinela.cameras.selectors import year_coverage
    from centinela.reports.formatting import number

    cov = year_coverage(user, year)
    if not cov.total:
        return []

    def label(text):
        return _("%(figure)s (synthetic demo data)") % {"figure": text} if cov.synthetic else text

    return [
        (label(_("Incidents registered in the year")), number(cov.total)),
        (label(_("Incidents in view of a working camera")), number(cov.in_view)),
        (label(_("Share of incidents in view of a working camera")), f"{cov.share_pct:.1f} %".replace(".", ",")),
    ]


@dataclass
class ParticipationSummary:
    """Citizen reports received in the year (issue 12), from the observatory's figures (observatory.participation):
    the headline rows and a row per category."""

    rows: list[tuple[str, str]]  # (figure, value), already formatted
    categories: list[list[str]] = field(default_factory=list)  # category, reports, resolved, in time, share

    def __bool__(self):
        return bool(self.rows)


def _hours(value) -> str:
    from centinela.reports.formatting import number

    return "—" if value is None else number(round(value, 1))


def _participation(user, year: int) -> ParticipationSummary:
    from centinela.observatory.participation import year_figures
    from centinela.reports.formatting import number

    figures = year_figures(user, year)
    total = figures.total
    if not total.reports:
        return ParticipationSummary([])

    def share(row) -> str:
        return "—" if row.share_in_time is None else f"{row.share_in_time:.1f} %".replace(".", ",")

    rows = [(_("Citizen reports received"), number(total.reports))]
    rows += [(_("Reports in status “%(status)s”") % {"status": label}, number(n)) for label, n in figures.by_status]
    rows += [
        (_("Reports merged as duplicates"), number(figures.duplicates)),
        (_("Reports never answered"), number(total.unanswered)),
        (_("Median time to first response (hours)"), _hours(total.median_response_hours)),
        (_("Median time to resolution (days)"), _hours(total.median_resolution_days)),
        (_("Share resolved within the time limit"), share(total)),
    ]
    categories = [
        [r.label, number(r.reports), number(r.resolved), number(r.resolved_in_time), share(r)]
        for r in figures.by_category
    ]
    return ParticipationSummary(rows, categories)


@dataclass
class Signature:
    name: str
    role: str
    signed_at: datetime


def DEMO_NOTICE() -> str:  # noqa: N802 (a constant, translated when read)
    return _("DEMONSTRATION DATA – this is not an official report")


def demo_data(year: int) -> list[str]:
    """The demo or synthetic data sets a report of `year` would include: those load_demo marked for the year, and
    synthetic incidents found among the year's own records."""
    from centinela.incidents.models import Incident
    from centinela.incidents.selectors import SYNTHETIC_SOURCE
    from centinela.reports.models import DemoDataset

    names = [d.name for d in DemoDataset.objects.all() if d.covers(year)]
    lo, hi = year_bounds(year)
    synthetic = Incident.objects.filter(source__code=SYNTHETIC_SOURCE, occurred_at__range=(lo, hi))
    if synthetic.exists() and not any(d.origin == DemoDataset.Origin.SYNTHETIC for d in DemoDataset.objects.all()):
        names.append(_("Synthetic incidents"))
    return names


@dataclass
class AnnualReport:
    year: int
    institution: str
    canton: str
    plans: list[str]
    purpose: str
    objectives: list[str]
    summary: str
    totals: Totals
    programmes: list[ProgrammeSection]
    parishes: list[ParishRow]
    partners: list[PartnerRow]
    agreements: list[AgreementRow]
    sessions: list[SessionRow]
    photos: list[Photo]
    surveillance: SurveillanceSummary = field(default_factory=lambda: SurveillanceSummary([]))
    participation: ParticipationSummary = field(default_factory=lambda: ParticipationSummary([]))
    areas: list[MapArea] = field(default_factory=list)
    points: list[MapPoint] = field(default_factory=list)
    generated_at: datetime | None = None
    slogan: str = ""  # the plan's, shown on the cover and in every page footer
    legal_basis: list[str] = field(default_factory=list)  # paragraphs: the national laws, then the council's own text
    council_legal_basis_missing: bool = False  # no plan of the year records the council's creating ordinance
    difficulties: list[str] = field(default_factory=list)
    conclusions: list[str] = field(default_factory=list)
    challenges: list[str] = field(default_factory=list)
    # not the council's records (demo or synthetic data sets): every page of every format says so (DEMO_NOTICE)
    demo_data: list[str] = field(default_factory=list)
    signature: Signature | None = None  # the director's approval, printed at the end of an approved version

    @property
    def demo_notice(self) -> str:
        return DEMO_NOTICE() if self.demo_data else ""

    @property
    def title(self) -> str:
        return _("Accountability report %(year)s") % {"year": self.year}

    @property
    def any_approximate(self) -> bool:
        return any(a.approximate for a in self.areas)


def year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(date(year, 1, 1), time.min), tz),
        timezone.make_aware(datetime.combine(date(year, 12, 31), time.max), tz),
    )


def report_years(user=None) -> list[int]:
    """Years that have a plan or activities, newest first."""
    plans = _scoped(user, Plan.objects.all())
    years = {d.year for d in plans.values_list("starts_on", flat=True)} | {
        d.year for d in plans.values_list("ends_on", flat=True)
    }
    years |= {d.year for d in _scoped(user, Activity.objects.all()).dates("starts_at", "year")}
    return sorted(years, reverse=True)


def _scoped(user, queryset):
    return queryset if user is None else scope(user, queryset)


def _activities(user, year: int):
    lo, hi = year_bounds(year)
    return (
        _scoped(user, Activity.objects.filter(starts_at__range=(lo, hi)))
        .select_related(
            "programme",
            "place",
            "parish",
            "working_group",
            "operation__operation_type",
            "campaign",
            "training",
        )
        .prefetch_related(
            "barrios",
            Prefetch("partner_roles", queryset=ActivityPartner.objects.select_related("institution")),
            Prefetch("training__attendances", queryset=Attendance.objects.select_related("person", "institution")),
            "training__speakers__institution",
            "campaign__placements__place",
            "campaign__placements__partner",
            "campaign__placements__material",
            "obligations__agreement__counterpart",
        )
    )


def _programme_section(programme: Programme, activities: list[Activity], year: int) -> ProgrammeSection:
    live = [a for a in activities if a.status != Activity.Status.CANCELLED]
    done = [a for a in activities if a.status == Activity.Status.DONE]
    planned = sum((a.budget_planned for a in activities), Decimal(0))
    executed = sum((a.budget_executed for a in activities), Decimal(0))
    in_kind = sum((r.in_kind_value for a in done for r in a.partner_roles.all()), Decimal(0))
    first, last = date(year, 1, 1), date(year, 12, 31)
    rows = []
    for indicator in programme.indicators.all():
        for p in indicators.progress(indicator):
            if p.target.starts_on <= last and p.target.ends_on >= first:
                rows.append(
                    IndicatorRow(
                        programme=programme.code,
                        code=indicator.code,
                        name=indicator.name,
                        unit=indicator.unit,
                        scope=p.target.parish.name if p.target.parish_id else _("Canton"),
                        target=p.target.target,
                        actual=p.actual,
                        percent=p.percent,
                    )
                )
    rows.sort(key=lambda r: (r.code, r.scope != _("Canton"), r.scope))
    return ProgrammeSection(
        code=programme.code,
        name=programme.name,
        kind=programme.get_kind_display(),
        objective=programme.objective,
        narrative=narrative.programme_narrative(programme, activities, last),
        activities=len(live),
        done=len(done),
        percent_done=ratio_percent(len(done), len(live)),
        budget_planned=planned,
        budget_executed=executed,
        percent_executed=ratio_percent(executed, planned),
        in_kind=in_kind,
        indicators=rows,
    )


def _parish_coverage(user, year: int) -> list[ParishRow]:
    """Preventive trainings (programmes of the training kind) and the distinct people they reached, per parish.
    Every urban parish is listed, reached or not; a rural one only when reached."""
    lo, hi = year_bounds(year)
    trainings = _scoped(
        user,
        Activity.objects.filter(
            starts_at__range=(lo, hi),
            status=Activity.Status.DONE,
            kind=Activity.Kind.TRAINING,
            programme__kind=Programme.Kind.TRAINING,
        ),
    )
    per_parish = dict(trainings.values("parish").annotate(n=Count("id")).values_list("parish", "n"))
    attended = Attendance.objects.trained().filter(training__activity__in=trainings)
    people = defaultdict(set)
    women = defaultdict(set)
    presidents = defaultdict(set)
    for parish_id, person_id, sex, role in attended.values_list(
        "training__activity__parish", "person", "person__sex", "role"
    ):
        people[parish_id].add(person_id)
        if sex == "F":
            women[parish_id].add(person_id)
        if role == Attendance.Role.PARISH_PRESIDENT:
            presidents[parish_id].add(person_id)
    rows = []
    for parish in Parish.objects.order_by("kind", "code"):
        if parish.kind == Parish.Kind.URBAN or per_parish.get(parish.pk):
            rows.append(
                ParishRow(
                    parish.name,
                    parish.get_kind_display(),
                    per_parish.get(parish.pk, 0),
                    len(people[parish.pk]),
                    len(women[parish.pk]),
                    len(presidents[parish.pk]),
                )
            )
    return rows


def _partners(done: list[Activity], programmes: list[Programme]) -> list[PartnerRow]:
    found: dict[int, dict] = {}

    def row(institution):
        return found.setdefault(
            institution.pk,
            {"institution": institution, "roles": [], "activities": set(), "in_kind": Decimal(0), "contributions": []},
        )

    for a in done:
        for r in a.partner_roles.all():
            entry = row(r.institution)
            if r.get_role_display() not in entry["roles"]:
                entry["roles"].append(r.get_role_display())
            entry["activities"].add(a.pk)
            entry["in_kind"] += r.in_kind_value
            if r.in_kind_description and r.in_kind_description not in entry["contributions"]:
                entry["contributions"].append(r.in_kind_description)
    members = WorkingGroupMember.objects.filter(group__programme__in=programmes).select_related("institution", "group")
    for m in members:
        entry = row(m.institution)
        label = contracted(_("Member of %(group)s") % {"group": with_article(m.group.name)})
        if label not in entry["roles"]:
            entry["roles"].append(label)
    rows = [
        PartnerRow(
            e["institution"].name,
            e["institution"].get_kind_display(),
            e["roles"],
            len(e["activities"]),
            e["in_kind"],
            e["contributions"],
        )
        for e in found.values()
    ]
    return sorted(rows, key=lambda r: (-r.in_kind, -r.activities, r.name))


def _agreements(user, year: int, done_ids: set[int]) -> list[AgreementRow]:
    first, last = date(year, 1, 1), date(year, 12, 31)
    qs = _scoped(
        user,
        Agreement.objects.filter(signed_on__lte=last).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=first)),
    )
    rows = []
    for agreement in (
        qs.select_related("counterpart").prefetch_related("obligations__activities").order_by("signed_on", "code")
    ):
        obligations = [
            ObligationRow(
                ob.get_party_display() if ob.party == "council" else agreement.counterpart.name,
                ob.description,
                narrative.summarise_titles(
                    sorted((a for a in ob.activities.all() if a.pk in done_ids), key=lambda a: a.starts_at)
                ),
            )
            for ob in agreement.obligations.all()
        ]
        rows.append(
            AgreementRow(
                agreement.code,
                agreement.title,
                agreement.counterpart.name,
                agreement.signed_on,
                agreement.valid_until,
                agreement.purpose,
                obligations,
            )
        )
    return rows


def _sessions(user, year: int) -> list[SessionRow]:
    lo, hi = year_bounds(year)
    qs = (
        _scoped(user, CouncilSession.objects.filter(held_at__range=(lo, hi)))
        .select_related("place")
        .prefetch_related("attendance__institution", "resolutions__owner_institution")
        .order_by("held_at")
    )
    return [
        SessionRow(
            title=str(s),
            held_at=s.held_at,
            place=s.place.name if s.place_id else "",
            agenda=s.agenda,
            present=[x.institution.name for x in s.attendance.all() if x.present],
            resolutions=[
                ResolutionRow(
                    r.number,
                    r.text,
                    r.owner_institution.name if r.owner_institution_id else "",
                    r.get_status_display(),
                    r.done_on,
                    r.status in (r.Status.PENDING, r.Status.IN_PROGRESS),
                )
                for r in s.resolutions.all()
            ],
        )
        for s in qs
    ]


def _photos(user, year: int) -> list[Photo]:
    from PIL import Image, UnidentifiedImageError

    lo, hi = year_bounds(year)
    qs = (
        _scoped(
            user,
            Evidence.objects.filter(
                include_in_report=True,
                kind=Evidence.Kind.PHOTO,
                activity__starts_at__range=(lo, hi),
            ),
        )
        .select_related("activity")
        .order_by("activity__starts_at", "pk")
    )
    shown = []
    for evidence in qs[:PHOTO_LIMIT]:
        try:
            with evidence.file.open("rb") as f:
                image = Image.open(io.BytesIO(f.read()))
                image.load()
        except (OSError, ValueError, UnidentifiedImageError):
            continue  # a file missing from storage must not stop the report
        image.thumbnail((PHOTO_MAX_PX, PHOTO_MAX_PX))
        out = io.BytesIO()
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=82)
        shown.append(Photo(evidence.title, _photo_caption(evidence), out.getvalue(), "image/jpeg"))
    # Two photos would read alike (two of one activity, titled alike): each is told apart by its number among them.
    alike = Counter((p.title, p.caption) for p in shown)
    seen: Counter = Counter()
    for p in shown:
        if alike[(p.title, p.caption)] > 1:
            seen[(p.title, p.caption)] += 1
            n, total = seen[(p.title, p.caption)], alike[(p.title, p.caption)]
            p.caption += ", " + _("photo %(n)s of %(total)s") % {"n": n, "total": total}
    return shown


def _photo_caption(evidence) -> str:
    """The activity a photo shows and its date, "Fumigación con amonio cuaternario: Teatro Bolívar (14/04/2020)";
    only the date when the photo's own title already says it ("Fumigación con amonio cuaternario en el Teatro
    Bolívar"), so the annex does not say everything twice."""
    from centinela.lib.tables import normalise

    a = evidence.activity
    when = f"{timezone.localtime(a.starts_at):%d/%m/%Y}"
    stem, _sep, item = a.title.partition(":")
    title = normalise(evidence.title)
    if all(normalise(part) in title for part in (stem, item) if part.strip()):
        return when
    return f"{a.title} ({when})"


def _map(done: list[Activity], coverage: list[ParishRow]) -> tuple[list[MapArea], list[MapPoint]]:
    people = {row.name: row.people for row in coverage}
    areas = [
        MapArea(p.name, p.kind, p.geometry, p.is_approximate, people.get(p.name, 0))
        for p in Parish.objects.exclude(geometry=None).order_by("code")
    ]
    points = []
    for a in done:
        if a.place_id:
            points.append(MapPoint(a.place.lon, a.place.lat, a.kind, a.place.name))
        elif getattr(a, "campaign", None) is not None:
            points.extend(MapPoint(p.place.lon, p.place.lat, a.kind, p.place.name) for p in a.campaign.placements.all())
        else:
            points.extend(
                MapPoint(b.centre_lon, b.centre_lat, a.kind, b.name)
                for b in a.barrios.all()
                if b.centre_lon is not None
            )
    return areas, points


def annual_report(year: int, user=None) -> AnnualReport:
    """The year's report. `user`: read through that user's permission scope (the page passes it); None reads
    everything (the management command)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    plans = list(
        _scoped(user, Plan.objects.filter(level=Plan.Level.CANTONAL, starts_on__lte=last, ends_on__gte=first)).order_by(
            "starts_on", "name"
        )
    )
    nested = list(_scoped(user, Plan.objects.filter(parent__in=plans, starts_on__lte=last, ends_on__gte=first)))
    programmes = list(
        Programme.objects.filter(plan__in=plans + nested)
        .select_related("plan")
        .prefetch_related("indicators__targets__parish", "working_groups__members__institution")
        .order_by("plan__starts_on", "plan__name", "code")
    )
    activities = list(_activities(user, year).filter(programme__in=programmes).order_by("starts_at", "pk"))
    by_programme = defaultdict(list)
    for a in activities:
        by_programme[a.programme_id].append(a)
    sections = [_programme_section(p, by_programme[p.pk], year) for p in programmes]
    done = [a for a in activities if a.status == Activity.Status.DONE]

    totals = Totals(
        activities=sum(s.activities for s in sections),
        done=sum(s.done for s in sections),
        budget_planned=sum((s.budget_planned for s in sections), Decimal(0)),
        budget_executed=sum((s.budget_executed for s in sections), Decimal(0)),
        in_kind=sum((s.in_kind for s in sections), Decimal(0)),
        trainings=sum(1 for a in done if a.kind == Activity.Kind.TRAINING),
        people_trained=Attendance.objects.trained()
        .filter(training__activity__in=[a.pk for a in done if a.kind == Activity.Kind.TRAINING])
        .values("person")
        .distinct()
        .count(),
    )
    totals.percent_done = ratio_percent(totals.done, totals.activities)
    totals.percent_executed = ratio_percent(totals.budget_executed, totals.budget_planned)

    coverage = _parish_coverage(user, year)
    areas, points = _map(done, coverage)
    canton = Canton.objects.first()
    purpose = next((p.purpose for p in plans if p.purpose), "")
    objectives = [line.strip() for p in plans for line in p.objectives.splitlines() if line.strip()]
    own_basis = next((p.legal_basis for p in plans if p.legal_basis.strip()), "")
    agreements = _agreements(user, year, {a.pk for a in done})
    sessions = _sessions(user, year)
    not_done = [a for a in activities if a.status != Activity.Status.DONE]
    next_plans = list(
        _scoped(
            user,
            Plan.objects.filter(
                level=Plan.Level.CANTONAL, starts_on__lte=date(year + 1, 12, 31), ends_on__gte=date(year + 1, 1, 1)
            ).exclude(pk__in=[p.pk for p in plans]),
        )
        .prefetch_related("programmes")
        .order_by("starts_on", "name")
    )
    return AnnualReport(
        year=year,
        institution=_("Cantonal Citizen Security Council of Loja"),
        canton=canton.name if canton else "",
        plans=[p.name for p in plans + nested],
        purpose=purpose,
        objectives=objectives,
        summary=_summary(year, totals, len(sections)),
        totals=totals,
        programmes=sections,
        parishes=coverage,
        partners=_partners(done, programmes),
        agreements=agreements,
        sessions=sessions,
        photos=_photos(user, year),
        surveillance=_surveillance(user, year),
        participation=_participation(user, year),
        areas=areas,
        points=points,
        generated_at=timezone.now(),
        slogan=next((p.slogan for p in plans if p.slogan.strip()), "").strip(),
        legal_basis=narrative.legal_framework() + [line.strip() for line in own_basis.splitlines() if line.strip()],
        council_legal_basis_missing=not own_basis.strip(),
        difficulties=narrative.difficulties(sections, not_done, totals),
        conclusions=narrative.conclusions(year, sections, totals, agreements),
        challenges=narrative.challenges(year, sections, sessions, next_plans),
        demo_data=demo_data(year),
    )


def _summary(year: int, totals: Totals, programmes: int) -> str:
    from centinela.reports.formatting import money, number, percent

    if not totals.activities:
        return _("No activities of a plan were recorded for %(year)s.") % {"year": year}
    text = [
        _(
            "In %(year)s the council carried out %(done)s of the %(total)s activities scheduled (%(pct)s) in "
            "%(programmes)s "
            "programmes."
        )
        % {
            "year": year,
            "done": number(totals.done),
            "total": number(totals.activities),
            "pct": percent(totals.percent_done),
            "programmes": programmes,
        },
        _(
            "It executed %(executed)s of the %(planned)s budgeted (%(pct)s), and partners contributed %(in_kind)s in "
            "kind."
        )
        % {
            "executed": money(totals.budget_executed),
            "planned": money(totals.budget_planned),
            "pct": percent(totals.percent_executed),
            "in_kind": money(totals.in_kind),
        },
    ]
    if totals.trainings:
        text.append(
            _("%(people)s people were trained in %(trainings)s trainings.")
            % {"people": number(totals.people_trained), "trainings": number(totals.trainings)}
        )
    return " ".join(text)


def _plain(value):
    """A report's value as JSON keeps it: decimals and dates as text, images left out (the PDF holds them)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in ("data", "png", "geometry")}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal | date | datetime):
        return str(value)
    return value


def figures(report: AnnualReport) -> dict:
    """What a version freezes: every figure and text of the report as read, without the moment it was built, the
    approval or the images; two readings of unchanged records give the same figures."""
    out = _plain(asdict(report))
    for key in ("generated_at", "signature", "points"):
        out.pop(key, None)
    out["points"] = len(report.points)
    return out
