"""Small builders for partner and governance tests: institutions, a plan for the current year with a programme,
activities with partners, agreements. Plain functions, so any test module can import them."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from centinela.activities.models import Activity, ActivityPartner, Plan, Programme
from centinela.partners.models import Agreement, ContactPerson, Institution, Obligation
from centinela.territory.models import Parish

YEAR = date.today().year


def institution(name="Policía Nacional", kind="public", council=False, short_name="", **extra):
    obj, _ = Institution.objects.get_or_create(
        name=name, defaults={"kind": kind, "is_council_member": council, "short_name": short_name, **extra}
    )
    return obj


def contact(inst, name="Capitán Juan Pérez", email="jperez@policia.gob.ec", phone="0991234567"):
    return ContactPerson.objects.create(
        institution=inst, name=name, position="Jefe de distrito", email=email, phone=phone
    )


def plan(parish_code=None, year=None):
    year = year or timezone.localdate().year
    parish = Parish.objects.get(code=parish_code) if parish_code else None
    obj, _ = Plan.objects.get_or_create(
        name=f"Plan {'parroquial ' + parish_code if parish_code else 'cantonal'} {year}",
        defaults={
            "level": "parish" if parish else "cantonal",
            "parish": parish,
            "starts_on": date(year, 1, 1),
            "ends_on": date(year, 12, 31),
        },
    )
    return obj


def programme(code="YAS", the_plan=None, kind="education", name="Yo Aprendo Seguridad"):
    obj, _ = Programme.objects.get_or_create(plan=the_plan or plan(), code=code, defaults={"name": name, "kind": kind})
    return obj


def at(month, day, hour=10, year=None):
    return timezone.make_aware(datetime(year or timezone.localdate().year, month, day, hour, 0))


def activity(
    title="Charla de prevención", status="done", month=3, day=10, prog=None, parish_code="110101", year=None, **extra
):
    return Activity.objects.create(
        programme=prog or programme(),
        kind=extra.pop("kind", "other"),
        title=title,
        starts_at=at(month, day, year=year),
        status=status,
        status_reason="motivo" if status in ("cancelled", "postponed") else "",
        parish=Parish.objects.get(code=parish_code) if parish_code else None,
        **extra,
    )


def contribution(act, inst, value, role="donor", description="Refrigerios"):
    return ActivityPartner.objects.create(
        activity=act, institution=inst, role=role, in_kind_value=Decimal(value), in_kind_description=description
    )


def agreement(code="CONV-001", counterpart=None, signed_on=None, valid_until=None, warn_days=60, **extra):
    return Agreement.objects.create(
        code=code,
        title=extra.pop("title", "Convenio de cooperación"),
        counterpart=counterpart or institution(),
        purpose=extra.pop("purpose", "Cooperación en prevención"),
        signed_on=signed_on or date(YEAR, 1, 15),
        valid_until=valid_until,
        warn_days=warn_days,
        **extra,
    )


def obligation(agr, party="counterpart", description="Dictar 4 charlas", activities=()):
    obj = Obligation.objects.create(agreement=agr, party=party, description=description)
    obj.activities.set(activities)
    return obj
