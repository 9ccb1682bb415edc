"""The overdue board: open reports past their category's time limit, grouped by assigned institution (unassigned
last), most overdue first; closed reports and those within their limit are not on it; scoped like the inbox."""

from datetime import timedelta

from django.utils import timezone

from centinela.participation import services
from centinela.participation.models import Report
from centinela.partners.models import Institution

from .conftest import file_report

URL = "/participa/reportes/vencidos/"


def aged(report, days):
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(days=days))
    report.refresh_from_db()
    return report


def test_the_board_lists_open_overdue_reports_by_institution(
    client_for, categories, sagrario_point, valle_point, users
):
    company = Institution.objects.create(name="Empresa Eléctrica Regional del Sur", kind="public")
    light = categories["alumbrado-deficiente"]  # 15 days
    late = aged(file_report(light, sagrario_point), 20)
    later = aged(file_report(light, valle_point), 40)
    services.assign(users["tecnico"], later, institution=company, person=None)
    on_time = aged(file_report(light, sagrario_point), 10)
    closed = aged(file_report(light, sagrario_point), 40)
    services.post_update(users["tecnico"], closed, status="resolved", text="Arreglado", public=True)
    long_limit = aged(file_report(categories["otro"], sagrario_point), 20)  # 30 days

    page = client_for("tecnico").get(URL).content.decode()
    assert late.code in page and later.code in page
    assert on_time.code not in page and closed.code not in page and long_limit.code not in page
    assert page.index("Empresa Eléctrica Regional del Sur") < page.index("Sin asignar")
    assert page.index(later.code) < page.index(late.code)


def test_a_parish_president_sees_only_their_parish_on_the_board(client_for, categories, sagrario_point, valle_point):
    mine = aged(file_report(categories["otro"], sagrario_point), 45)
    theirs = aged(file_report(categories["otro"], valle_point), 45)
    page = client_for("presidente.sagrario").get(URL).content.decode()
    assert mine.code in page and theirs.code not in page


def test_an_empty_board_says_so(client_for, categories, sagrario_point):
    file_report(categories["otro"], sagrario_point)
    assert "Ningún reporte está vencido" in client_for("directora").get(URL).content.decode()
