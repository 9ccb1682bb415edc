"""Every figure in the report's tables is what the records give, counted here straight from the database, and the
DOCX tables print exactly those figures."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum
from django.utils import translation

from centinela.activities.models import Activity, ActivityPartner, Attendance, Operation, Placement, Plan
from centinela.reports.formatting import money, number, percent, ratio_percent
from centinela.reports.tests.reading import docx_tables

pytestmark = pytest.mark.django_db


def _flat(value):
    """As the DOCX reader gives cell text: non-breaking spaces read as spaces."""
    return [_flat(v) for v in value] if isinstance(value, list) else value.replace("\u00a0", " ")


@pytest.fixture
def report(built, db):
    return built.report


@pytest.fixture
def plan(db, demo_2020):
    return Plan.objects.get(name="Plan Cantonal de Seguridad Ciudadana 2020")


def test_eleven_fumigations_done_as_the_records_say(report, plan):
    done = Operation.objects.filter(
        operation_type__name="Fumigación",
        activity__status="done",
        activity__starts_at__year=2020,
        activity__programme__plan=plan,
    ).count()
    assert done == 11
    section = next(s for s in report.programmes if s.kind == "Operativos de campo")
    assert section.done == done
    assert next(i for i in section.indicators if i.name == "Fumigaciones realizadas").actual == done


def test_programme_rows_equal_the_activity_records(report, plan):
    for section in report.programmes:
        qs = Activity.objects.filter(programme__plan=plan, programme__code=section.code, starts_at__year=2020)
        agg = qs.aggregate(
            live=Count("id", filter=~Q(status="cancelled")),
            done=Count("id", filter=Q(status="done")),
            planned=Sum("budget_planned"),
            executed=Sum("budget_executed"),
        )
        in_kind = (
            ActivityPartner.objects.filter(activity__in=qs.filter(status="done")).aggregate(v=Sum("in_kind_value"))["v"]
            or 0
        )
        assert (section.activities, section.done) == (agg["live"], agg["done"])
        assert section.budget_planned == (agg["planned"] or 0)
        assert section.budget_executed == (agg["executed"] or 0)
        assert section.in_kind == in_kind


def test_totals_equal_the_sum_of_the_records(report, plan):
    qs = Activity.objects.filter(programme__plan=plan)
    assert report.totals.activities == qs.exclude(status="cancelled").count() == 39
    assert report.totals.done == qs.filter(status="done").count()
    assert report.totals.budget_planned == qs.aggregate(v=Sum("budget_planned"))["v"]
    assert report.totals.budget_executed == qs.aggregate(v=Sum("budget_executed"))["v"]
    assert (
        report.totals.in_kind == ActivityPartner.objects.filter(activity__in=qs).aggregate(v=Sum("in_kind_value"))["v"]
    )
    trained = Attendance.objects.filter(
        training__activity__in=qs.filter(kind="training", status="done"), attended=True, participation="trainee"
    )
    assert report.totals.people_trained == trained.values("person").distinct().count()


def test_indicator_actuals_equal_the_records(report, plan):
    trainings = Activity.objects.filter(
        programme__plan=plan, programme__kind="training", kind="training", status="done"
    )
    per_parish = defaultdict(set)
    for parish, person in Attendance.objects.filter(
        training__activity__in=trainings, participation="trainee"
    ).values_list("training__activity__parish__name", "person"):
        per_parish[parish].add(person)
    rows = {(r.code, r.scope): r for s in report.programmes for r in s.indicators}
    for parish, people in per_parish.items():
        assert rows[("P1.1", parish)].actual == trainings.filter(parish__name=parish).count() == 1
        assert rows[("P1.2", parish)].actual == len(people)
    assert rows[("P1.2", "Cantón")].actual == len(set().union(*per_parish.values()))
    assert (
        rows[("P2.1", "Cantón")].actual
        == Activity.objects.filter(programme__code="P2", programme__plan=plan, status="done").count()
        == 17
    )
    area = Operation.objects.filter(activity__programme__plan=plan).aggregate(v=Sum("area_m2"))["v"]
    assert rows[("P3.2", "Cantón")].actual == area
    banners = Placement.objects.filter(campaign__activity__programme__plan=plan).aggregate(v=Sum("quantity"))["v"]
    assert rows[("P4.1", "Cantón")].actual == banners == 12
    assert (
        rows[("P5.1", "Cantón")].actual
        == Activity.objects.filter(programme__plan=plan, kind="meeting", status="done").count()
    )
    for row in rows.values():
        assert row.percent == (round(100 * row.actual / row.target) if row.target else None)


def test_parish_coverage_equals_the_attendance_records(report, plan):
    for row in report.parishes:
        attended = Attendance.objects.filter(
            training__activity__programme__kind="training",
            training__activity__status="done",
            training__activity__parish__name=row.name,
            training__activity__starts_at__year=2020,
            attended=True,
            participation="trainee",  # the police officers and firefighters who came to inform are not trained
        )
        assert row.people == attended.values("person").distinct().count()
        assert row.women == attended.filter(person__sex="F").values("person").distinct().count()
        assert row.presidents == attended.filter(role="parish_president").count() == 1
        assert row.trainings == 1
    assert [r.name for r in report.parishes] == [
        "El Sagrario",
        "San Sebastián",
        "Sucre",
        "El Valle",
        "Carigán",
        "Punzara",
    ]


def test_partner_contributions_equal_the_records(report, plan):
    for row in report.partners:
        roles = ActivityPartner.objects.filter(
            institution__name=row.name, activity__programme__plan=plan, activity__status="done"
        )
        assert row.in_kind == (roles.aggregate(v=Sum("in_kind_value"))["v"] or Decimal(0))
        assert row.activities == roles.values("activity").distinct().count()


def test_docx_tables_print_the_figures_of_the_records(built, plan):
    tables = docx_tables(built.content["docx"])
    per_programme = next(t for t in tables if t[0][0] == "Programa")
    with translation.override("es-ec"):
        for row in per_programme[1:-1]:
            code = row[0].split(" · ")[0]
            qs = Activity.objects.filter(programme__plan=plan, programme__code=code)
            planned = qs.aggregate(v=Sum("budget_planned"))["v"]
            executed = qs.aggregate(v=Sum("budget_executed"))["v"]
            done = qs.filter(status="done").count()
            assert row[1:7] == _flat(
                [
                    number(qs.count()),
                    number(done),
                    percent(ratio_percent(done, qs.count())),
                    money(planned),
                    money(executed),
                    percent(ratio_percent(executed, planned)),
                ]
            )
        total = per_programme[-1]
        assert total[0] == "Total" and total[4] == _flat(
            money(Activity.objects.filter(programme__plan=plan).aggregate(v=Sum("budget_planned"))["v"])
        )
        coverage = next(t for t in tables if t[0][0] == "Parroquia")
        for name, _kind, trainings, people, *_rest in coverage[1:]:
            attended = Attendance.objects.filter(
                training__activity__parish__name=name,
                training__activity__programme__kind="training",
                participation="trainee",
            )
            assert people == _flat(number(attended.values("person").distinct().count()))
            assert trainings == "1"


# The chapters that close the report (presentation, budget, difficulties, conclusions and challenges): every figure
# they print is counted here again from the records, and found in the PDF as the reader sees it.


def _pdf(built):
    return _flat(built.text["pdf"])


def test_presentation_and_budget_figures_are_those_of_the_records(built, plan):
    qs = Activity.objects.filter(programme__plan=plan, starts_at__year=2020)
    planned = qs.aggregate(v=Sum("budget_planned"))["v"]
    executed = qs.aggregate(v=Sum("budget_executed"))["v"]
    in_kind = ActivityPartner.objects.filter(activity__in=qs.filter(status="done")).aggregate(v=Sum("in_kind_value"))
    trainings = qs.filter(kind="training", status="done")
    people = (
        Attendance.objects.filter(training__activity__in=trainings, attended=True, participation="trainee")
        .values("person")
        .distinct()
    )
    live, done = qs.exclude(status="cancelled").count(), qs.filter(status="done").count()
    with translation.override("es-ec"):
        expected = [
            f"Actividades programadas {number(live)}",
            f"Actividades realizadas {number(done)} ({percent(ratio_percent(done, live))})",
            f"Presupuesto planificado {money(planned)}",
            f"Presupuesto ejecutado {money(executed)} ({percent(ratio_percent(executed, planned))})",
            f"Aportes en especie de los socios {money(in_kind['v'])}",
            f"Capacitaciones realizadas {number(trainings.count())}",
            f"Personas capacitadas {number(people.count())}",
            # the budget chapter's total row
            f"Total {number(live)} {number(done)} {percent(ratio_percent(done, live))} {money(planned)} "
            f"{money(executed)} {percent(ratio_percent(executed, planned))} {money(in_kind['v'])}",
        ]
    for text in expected:
        assert _flat(text) in _pdf(built)


def test_difficulties_count_what_the_records_leave_undone(built, plan):
    qs = Activity.objects.filter(programme__plan=plan, starts_at__year=2020)
    assert not qs.exclude(status="done").exists()
    planned = qs.aggregate(v=Sum("budget_planned"))["v"]
    executed = qs.aggregate(v=Sum("budget_executed"))["v"]
    targets = _targets(built.report, plan)
    short_canton = [t for t in targets if t["parish"] is None and t["actual"] < t["target"]]
    short_parish = [t for t in targets if t["parish"] is not None and t["actual"] < t["target"]]
    with translation.override("es-ec"):
        expected = [
            "Se realizaron todas las actividades programadas",
            f"{len(short_canton)} indicadores no alcanzaron su meta",
            f"No se alcanzaron {len(short_parish)} metas fijadas para una parroquia",
            f"No se ejecutaron {money(planned - executed)} del presupuesto planificado "
            f"({money(executed)} de {money(planned)})",
        ]
        for t in short_canton:
            expected.append(f"{t['name']}: {number(t['actual'])} de {number(t['target'])}")
    text = _flat(" ".join(built.report.difficulties))
    for figure in expected:
        assert _flat(figure) in text and _flat(figure) in _pdf(built), figure


def _targets(report, plan):
    """Every indicator target recorded for the plan, read from the database, with its actual from the report's rows
    (test_indicator_actuals_equal_the_records checks those actuals against the records)."""
    from centinela.activities.models import IndicatorTarget

    actual = {(r.code, r.scope): r.actual for s in report.programmes for r in s.indicators}
    return [
        {
            "name": t.indicator.name,
            "parish": t.parish,
            "target": t.target,
            "actual": actual[(t.indicator.code, t.parish.name if t.parish else "Cantón")],
        }
        for t in IndicatorTarget.objects.filter(indicator__programme__plan=plan).select_related("indicator", "parish")
    ]


def test_conclusions_and_challenges_recount_the_records(built, plan):
    from centinela.activities.models import Resolution
    from centinela.partners.models import Obligation

    qs = Activity.objects.filter(programme__plan=plan, starts_at__year=2020)
    live, done = qs.exclude(status="cancelled").count(), qs.filter(status="done").count()
    planned = qs.aggregate(v=Sum("budget_planned"))["v"]
    executed = qs.aggregate(v=Sum("budget_executed"))["v"]
    in_kind = ActivityPartner.objects.filter(activity__in=qs.filter(status="done")).aggregate(v=Sum("in_kind_value"))
    targets = _targets(built.report, plan)
    met = sum(1 for t in targets if t["actual"] >= t["target"])
    programmes = plan.programmes.count()
    open_resolutions = Resolution.objects.filter(
        session__held_at__year=2020, status__in=[Resolution.Status.PENDING, Resolution.Status.IN_PROGRESS]
    )
    with translation.override("es-ec"):
        conclusions = [
            f"El Concejo realizó {number(done)} de las {number(live)} actividades de su plan 2020 "
            f"({percent(ratio_percent(done, live))}), en {programmes} programas, y ejecutó {money(executed)} de su "
            f"presupuesto ({percent(ratio_percent(executed, planned))}).",
            f"Se alcanzaron {met} de las {len(targets)} metas de los indicadores del plan.",
            f"Los aliados aportaron {money(in_kind['v'])} en especie",
        ]
        for ob_agreement in {o.agreement for o in Obligation.objects.select_related("agreement__counterpart")}:
            obligations = ob_agreement.obligations.all()
            fulfilled = sum(1 for o in obligations if o.activities.filter(status="done", starts_at__year=2020).exists())
            conclusions.append(
                f"Convenio {ob_agreement.code} con el {ob_agreement.counterpart.name}: {fulfilled} de sus "
                f"{obligations.count()} obligaciones tienen actividades que las cumplen."
            )
        challenges = [f"Concluir la resolución {r.number} (en curso): {r.text}" for r in open_resolutions]
        challenges += [
            f"Alcanzar la meta no cumplida en 2020: {t['name']}: {number(t['actual'])} de {number(t['target'])}"
            for t in targets
            if t["parish"] is None and t["actual"] < t["target"]
        ]
        challenges.append("Registrar en Centinela el plan cantonal de 2021")
    assert open_resolutions.exists() and met < len(targets)
    text = _flat(" ".join(built.report.conclusions + built.report.challenges))
    for figure in conclusions + challenges:
        assert _flat(figure) in text and _flat(figure) in _pdf(built), figure


# The programmes' own sentences (the council's account told from its records): who attended each programme's trainings,
# counted by role and by institution, the fumigations, banners and meetings, and the indicators not recounted above.


def _said(report, code: str) -> str:
    return _flat(" ".join(next(s for s in report.programmes if s.code == code).narrative))


def _attended(plan, code):
    return Attendance.objects.filter(
        training__activity__programme__plan=plan,
        training__activity__programme__code=code,
        training__activity__status="done",
        attended=True,
    )


def test_who_was_trained_and_who_came_to_support_is_counted_from_the_attendance_records(built, plan):
    """The people trained are the trainees; the police officers and firefighters who came with the speakers to
    inform the attendees (the account: "para brindar importante información de seguridad a los asistentes") are said
    apart and counted in no figure of people trained."""
    spanish_roles = {
        "parish_president": "presidentes parroquiales",
        "resident": "moradores de los barrios",
    }
    # P1: the six parishes' trainings: presidents and residents trained, police and firefighters in support
    attended = _attended(plan, "P1")
    trained = attended.filter(participation="trainee")
    people = trained.values("person").distinct().count()
    women = trained.filter(person__sex="F").values("person").distinct().count()
    by_role = dict(trained.values_list("role").annotate(n=Count("person", distinct=True)))
    assert sum(by_role.values()) == people == 108
    said = _said(built.report, "P1")
    assert f"Se capacitó a {people} personas ({women} mujeres): " in said
    for role, n in by_role.items():
        assert f"{n} {spanish_roles[role]}" in said, role
    assert "Expusieron delegados de la Policía Nacional y el Cuerpo de Bomberos de Loja." in said
    support = attended.filter(participation="support")
    by_institution = dict(support.values_list("institution__name").annotate(n=Count("person", distinct=True)))
    assert set(support.values_list("role", flat=True)) == {"police", "firefighter"}
    police, fire = by_institution.pop("Policía Nacional"), by_institution.pop("Cuerpo de Bomberos de Loja")
    assert (police, fire, by_institution) == (12, 12, {})
    assert (
        f"Además acudieron {police} miembros de la Policía Nacional y {fire} del Cuerpo de Bomberos de Loja para "
        "brindar información a los asistentes."
    ) in said
    trained_sentence = said[said.index("Se capacitó a") : said.index("Expusieron")]
    assert "Policía" not in trained_sentence and "Bomberos" not in trained_sentence
    # P6: the ECU 911's operational staff, all from one institution: said once, with its article
    attended = _attended(plan, "P6")
    operators = attended.filter(institution__name="SIS ECU 911").values("person").distinct().count()
    assert operators == attended.filter(participation="trainee").values("person").distinct().count() == 18
    women = attended.filter(person__sex="F").values("person").distinct().count()
    said = _said(built.report, "P6")
    assert f"Se capacitó a {operators} personas del SIS ECU 911 ({women_phrase(women)})." in said
    assert "personas de SIS" not in said and f": {operators} personas" not in said and "Además" not in said
    assert "Expusieron delegados del Concejo Cantonal de Seguridad Ciudadana de Loja." in said
    trainings = Activity.objects.filter(programme__plan=plan, programme__code="P6", kind="training", status="done")
    rows = {r.code: r for s in built.report.programmes for r in s.indicators if r.scope == "Cantón"}
    assert rows["P6.1"].actual == trainings.count() == 1
    assert rows["P6.2"].actual == operators
    # the year's total: the trainees of both programmes' trainings, each counted once
    total = Attendance.objects.filter(
        training__activity__programme__plan=plan,
        training__activity__status="done",
        attended=True,
        participation="trainee",
    )
    assert built.report.totals.people_trained == total.values("person").distinct().count() == 108 + 18
    assert rows["P1.2"].actual == 108
    assert f"Se capacitó a {108 + 18} personas en {built.report.totals.trainings} capacitaciones." in _pdf(built)


def women_phrase(n: int) -> str:
    return "1 mujer" if n == 1 else f"{n} mujeres"


def test_the_women_and_presidents_indicators_and_the_donors_contribution_are_the_records(built, plan):
    rows = {r.code: r for s in built.report.programmes for r in s.indicators if r.scope == "Cantón"}
    attended = _attended(plan, "P1")
    trained = attended.filter(participation="trainee")  # the policewomen who came to inform are not women trained
    assert rows["P1.3"].actual == trained.filter(person__sex="F").values("person").distinct().count() == 78
    assert rows["P1.4"].actual == attended.filter(role="parish_president").values("person").distinct().count() == 6
    donors = ActivityPartner.objects.filter(
        activity__programme__plan=plan, activity__programme__code="P3", activity__status="done", role="donor"
    )
    assert rows["P3.3"].actual == donors.aggregate(v=Sum("in_kind_value"))["v"]
    fumigations = Operation.objects.filter(activity__programme__plan=plan, activity__status="done").count()
    assert rows["P3.1"].actual == fumigations == 11


def test_fumigations_banners_and_meetings_are_said_as_counted(built, plan):
    fumigations = Operation.objects.filter(activity__programme__plan=plan, activity__status="done").count()
    assert f"Se realizaron {fumigations} fumigaciones con amonio cuaternario" in _said(built.report, "P3")
    banners = Placement.objects.filter(campaign__activity__programme__plan=plan).aggregate(v=Sum("quantity"))["v"]
    said = _said(built.report, "P4")
    assert f"se colocaron {banners} banners" in said
    assert "Con el apoyo del Banco de Guayaquil, el Banco Pichincha, el Banco de Loja y las Dependencias" in said
    meetings = Activity.objects.filter(programme__plan=plan, kind="meeting", status="done").count()
    assert f"Se reunió {meetings} veces" in _said(built.report, "P5")


def test_institution_names_take_their_spanish_article_and_contract():
    from centinela.reports.formatting import contracted, with_article

    with translation.override("es-ec"):
        assert with_article("Policía Nacional") == "la Policía Nacional"
        assert with_article("SIS ECU 911") == "el SIS ECU 911"
        assert with_article("Dependencias de cobranzas municipales") == "las Dependencias de cobranzas municipales"
        assert (
            with_article("Servicios Fitosanitarios del Sur (ficticia)") == "Servicios Fitosanitarios del Sur (ficticia)"
        )
        assert contracted("delegados de el Concejo y a el Cuerpo; parroquia de El Valle") == (
            "delegados del Concejo y al Cuerpo; parroquia de El Valle"
        )
    with translation.override("en"):
        assert with_article("Policía Nacional") == "Policía Nacional"


def test_the_docx_lays_out_the_rows_reports_tables_builds(built):
    """The tables' rows are built once (reports.tables) for both documents: the DOCX prints exactly those rows (the
    PDF, the same: test_presentation_and_budget_figures_are_those_of_the_records reads them back from its pages)."""
    from centinela.reports import tables

    r = built.report
    with translation.override("es-ec"):
        expected = [tables.year_in_figures(r), tables.budget(r), tables.parishes(r), tables.partners(r)]
        expected += [tables.programme_indicators(p) for p in r.programmes if p.indicators]
        expected += [tables.obligations(a) for a in r.agreements]
    found = [_flat(t) for t in docx_tables(built.content["docx"])]
    for t in expected:
        assert _flat([t.header, *t.rows, *([t.footer] if t.footer else [])]) in found, t.header
