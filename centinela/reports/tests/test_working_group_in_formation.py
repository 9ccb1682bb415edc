"""A working group is "en conformación" in a year's report until a record (its formed_on) says it was formed on or
before 31 December of that year: the 2020 account says its formation was only begun, and a group formed the next year
was still being formed in this year's account."""

from datetime import date

import pytest
from django.utils import translation

from centinela.activities.models import WorkingGroup
from centinela.reports.selectors import annual_report

pytestmark = pytest.mark.django_db
GROUP = "«Grupo de trabajo Yo Aprendo Seguridad»"


def _sentence(year):
    with translation.override("es-ec"):
        report = annual_report(year)
    return next(p for s in report.programmes for p in s.narrative if p.startswith(GROUP))


def test_the_demo_group_is_in_formation_in_2020(demo_2020):
    assert _sentence(2020).startswith(f"{GROUP}, en conformación, con 5 instituciones")


def test_a_group_formed_the_next_year_is_still_in_formation_in_this_years_report(demo_2020):
    WorkingGroup.objects.filter(name__startswith="Grupo de trabajo Yo Aprendo").update(formed_on=date(2021, 3, 1))
    assert _sentence(2020).startswith(f"{GROUP}, en conformación,")
    WorkingGroup.objects.filter(name__startswith="Grupo de trabajo Yo Aprendo").update(formed_on=date(2020, 12, 31))
    assert _sentence(2020).startswith(f"{GROUP}, conformado el 31 de diciembre de 2020,")
