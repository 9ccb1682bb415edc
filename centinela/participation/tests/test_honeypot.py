"""The hidden field people never see: a submission that fills it is dropped, on the report page and on the tracking
page, and nothing is saved."""

from centinela.participation.models import Report, ReportUpdate

from .conftest import solved


def test_a_report_with_the_hidden_field_filled_is_dropped(client, categories, sagrario_point):
    data = {
        "category": categories["otro"].pk,
        "lon": sagrario_point[0],
        "lat": sagrario_point[1],
        "description": "Compre relojes baratos",
        "website": "http://spam.example",
        **solved(),
    }
    response = client.post("/participa/reportar/", data)
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_information_with_the_hidden_field_filled_is_dropped(client, report):
    before = ReportUpdate.objects.count()
    response = client.post(report.tracking_path(), {"info-text": "spam", "info-website": "x"})
    assert response.status_code == 400
    assert ReportUpdate.objects.count() == before
