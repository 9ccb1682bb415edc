"""Builders for the notices' tests: one item of each source, made through the apps' own services where they have
one (an assignment is what tells the assignee)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from centinela.activities.models import CouncilSession, Resolution
from centinela.cameras import services as camera_services
from centinela.cameras.tests.test_inventory_factories import make_device, make_site, make_system
from centinela.participation import services as participation_services
from centinela.participation.categories import ensure_categories
from centinela.participation.models import ReportCategory
from centinela.territory.models import Parish

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def mail_kept(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def resolution(owner, *, due_in_days=-3, number="R-1", status=Resolution.Status.PENDING):
    session, _ = CouncilSession.objects.get_or_create(
        number=1, kind="ordinary", defaults={"held_at": timezone.now() - timedelta(days=30), "agenda": "1. Varios"}
    )
    return Resolution.objects.create(
        session=session,
        number=number,
        text="Instalar luminarias en el parque Jipiro",
        owner=owner,
        due_on=TODAY + timedelta(days=due_in_days),
        status=status,
    )


def ticket(actor, assignee, *, parish_code="110101", opened_days_ago=1, code="CAM-N-1"):
    device = make_device(make_system(make_site(parish_code=parish_code, name=f"Sitio {code}")), code=code)
    made = camera_services.open_ticket(
        actor, device, "Imagen borrosa", at=timezone.now() - timedelta(days=opened_days_ago)
    )
    return camera_services.assign_ticket(actor, made, assignee)


def citizen_report(actor, assignee, *, parish_code="110101", days_ago=0):
    ensure_categories(ReportCategory)
    parish = Parish.objects.get(code=parish_code)
    report = participation_services.file_report(
        category=ReportCategory.objects.get(code="alumbrado-deficiente"),
        lon=parish.centre_lon,
        lat=parish.centre_lat,
        description="Poste sin luz desde hace una semana",
        photos=(),
        contact=participation_services.Contact(
            name="Rosa Quizhpe", phone="0991112233", email="rosa@example.ec", consent=True
        ),
    )
    if days_ago:
        type(report).objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
        report.refresh_from_db()
    return participation_services.assign(actor, report, institution=None, person=assignee)
