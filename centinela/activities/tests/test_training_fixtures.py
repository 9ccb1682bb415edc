"""Shared data for the training tests: a plan of the current year with a training programme, partner institutions,
the Salón de los Alcaldes, and helpers that make trainings, people and valid cédulas. Other test files import
these fixtures by name (`from ...test_training_fixtures import *`). No tests here."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

__all__ = ["cedula", "training_data", "make_training", "make_person"]


def cedula(n: int, province: int = 11) -> str:
    """A valid cédula: province (11 = Loja), nine digits from n, and the modulo-10 check digit."""
    body = f"{province:02d}{n % 10_000_000:07d}"
    body = body[:2] + str(int(body[2]) % 6) + body[3:]
    total = 0
    for i, ch in enumerate(body):
        digit = int(ch) * (2 if i % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return body + str((10 - total % 10) % 10)


class Data:
    pass


@pytest.fixture
def training_data(db):
    from centinela.activities.models import Plan, Programme
    from centinela.partners.models import Institution
    from centinela.territory.models import Barrio, Parish, Place

    year = timezone.localdate().year
    d = Data()
    d.year = year
    d.plan = Plan.objects.create(name=f"Plan cantonal {year}", starts_on=date(year, 1, 1), ends_on=date(year, 12, 31))
    d.programme = Programme.objects.create(
        plan=d.plan, code="P1", name="Capacitación preventiva", kind=Programme.Kind.TRAINING
    )
    d.education = Programme.objects.create(plan=d.plan, code="P5", name="Educación", kind=Programme.Kind.EDUCATION)
    d.cameras = Programme.objects.create(
        plan=d.plan, code="P2", name="Videovigilancia", kind=Programme.Kind.SURVEILLANCE
    )
    d.police = Institution.objects.create(name="Policía Nacional", short_name="Policía", kind=Institution.Kind.PUBLIC)
    d.fire = Institution.objects.create(
        name="Cuerpo de Bomberos de Loja", short_name="Bomberos", kind=Institution.Kind.PUBLIC
    )
    d.sagrario = Parish.objects.get(code="110101")
    d.valle = Parish.objects.get(code="110104")
    d.centro = Barrio.objects.get(name="Centro Histórico")
    d.cayetano = Barrio.objects.get(name="San Cayetano Bajo")
    d.jipiro = Barrio.objects.get(name="Jipiro")
    d.salon = Place.objects.get(name__startswith="Salón de los Alcaldes")
    return d


@pytest.fixture
def make_training(training_data):
    from centinela.activities.models import Activity, Speaker, Training

    def make(
        topic="Prevención del delito en barrios",
        *,
        parish=None,
        place=None,
        status=Activity.Status.PLANNED,
        day=None,
        hours=2,
        barrios=(),
        speakers=True,
        checkin_open=False,
    ):
        d = training_data
        day = day or date(d.year, 6, 15)
        activity = Activity.objects.create(
            programme=d.programme,
            kind=Activity.Kind.TRAINING,
            title=topic,
            starts_at=timezone.make_aware(datetime.combine(day, time(9, 0))),
            parish=parish if parish is not None else (place.parish if place else d.sagrario),
            place=place,
            status=status,
        )
        activity.barrios.set(barrios)
        training = Training.objects.create(activity=activity, topic=topic, hours=hours, checkin_open=checkin_open)
        if speakers:
            Speaker.objects.create(
                training=training, institution=d.police, name="Cbop. Ana Torres", subject="Seguridad barrial"
            )
        return training

    return make


@pytest.fixture
def make_person(training_data):
    from centinela.activities.models import Person

    counter = iter(range(100, 10_000))

    def make(first="María", last="Jaramillo", *, parish=None, barrio=None, sex="F", age_band="30-44", **kw):
        kw.setdefault("cedula", cedula(next(counter) * 7919))
        return Person.objects.create(
            first_names=first,
            last_names=last,
            parish=parish or (barrio.parish if barrio else training_data.sagrario),
            barrio=barrio,
            sex=sex,
            age_band=age_band,
            consent=True,
            consent_at=timezone.now(),
            **kw,
        )

    return make
