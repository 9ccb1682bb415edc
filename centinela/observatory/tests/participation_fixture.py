"""A small year of citizen reports with known times, for the observatory's participation figures and the yearly
report's section; `EXPECTED` is what the figures must say, worked out by hand from the times below."""

from datetime import datetime, timedelta

from django.utils import timezone

from centinela.participation import services
from centinela.participation.categories import ensure_categories
from centinela.participation.models import Report, ReportCategory, ReportUpdate
from centinela.territory.models import Parish

YEAR = 2025


def local(y, m, d, h=10, minute=0):
    return timezone.make_aware(datetime(y, m, d, h, minute))


def _point(code):
    parish = Parish.objects.get(code=code)
    return parish.centre_lon, parish.centre_lat


def _file(category, code="110101", text="Problema en el barrio", at=None):
    lon, lat = _point(code)
    report = services.file_report(category=category, lon=lon, lat=lat, description=text)
    Report.objects.filter(pk=report.pk).update(created_at=at)
    ReportUpdate.objects.filter(report=report).update(created_at=at)  # the received update and the routing note
    report.refresh_from_db()
    return report


def _timed(update, at):
    ReportUpdate.objects.filter(pk=update.pk).update(created_at=at)


def build(users):
    """A: lighting (15 days), answered after 5 h, resolved after 10 days (in time). B: lighting, never answered.
    C: "otro" (30 days), assigned after 48 h, resolved after 40 days (late). D: drugs (15 days), closed as not
    applicable after 2 h. G: El Valle, answered after 24 h, still open. E: merged into A (a duplicate, not counted).
    F: received at 23:30 local on 31/12/2024 (04:30 UTC on 1 January): counted in 2024, not in 2025."""
    ensure_categories(ReportCategory)
    cat = {c.code: c for c in ReportCategory.objects.all()}
    staff = users["tecnico"]
    made = {}

    a_at = local(YEAR, 3, 1, 10)
    made["A"] = a = _file(cat["alumbrado-deficiente"], at=a_at)
    _timed(
        services.post_update(staff, a, status=a.status, text="Vamos a revisar", public=True), a_at + timedelta(hours=5)
    )
    _timed(services.post_update(staff, a, status="resolved", text="Arreglado", public=True), a_at + timedelta(days=10))

    made["B"] = _file(cat["alumbrado-deficiente"], at=local(YEAR, 3, 5, 9))

    c_at = local(YEAR, 4, 10, 8)
    made["C"] = c = _file(cat["otro"], at=c_at)
    from centinela.partners.models import Institution

    inst = Institution.objects.create(name="Municipio de Loja (prueba)", kind="public")
    services.assign(staff, c, institution=inst, person=None)
    _timed(ReportUpdate.objects.filter(report=c, status_to="assigned").get(), c_at + timedelta(hours=48))
    _timed(services.post_update(staff, c, status="resolved", text="Listo", public=True), c_at + timedelta(days=40))

    d_at = local(YEAR, 4, 20, 15)
    made["D"] = d = _file(cat["drogas-via-publica"], at=d_at)
    _timed(
        services.post_update(staff, d, status="not_applicable", text="No corresponde al consejo", public=True),
        d_at + timedelta(hours=2),
    )

    g_at = local(YEAR, 6, 1, 12)
    made["G"] = g = _file(cat["lugar-abandonado"], code="110104", at=g_at)
    _timed(services.post_update(staff, g, status=g.status, text="Lo vemos", public=True), g_at + timedelta(hours=24))

    made["E"] = e = _file(cat["alumbrado-deficiente"], at=local(YEAR, 3, 2, 11))
    services.merge(staff, e, a)

    made["F"] = _file(cat["otro"], at=local(YEAR - 1, 12, 31, 23, 30))
    return made


EXPECTED = {
    "reports": 5,
    "duplicates": 1,
    "unanswered": 1,
    "median_response_hours": 14.5,  # 2, 5, 24, 48
    "mean_response_hours": 19.75,
    "resolved": 2,
    "median_resolution_days": 25.0,  # 10 and 40
    "mean_resolution_days": 25.0,
    "resolved_in_time": 1,
    "share_in_time": 25.0,  # A, of A, B, C, G (D was not applicable)
}
