"""The staff inbox: newest first, filters by status, category and parish; a parish president sees only the reports
of their parish (others answer 404), a liaison only those assigned to their institution, and nobody signed out."""

from centinela.participation import services
from centinela.participation.models import Report
from centinela.partners.models import Institution

from .conftest import file_report

URL = "/participa/reportes/"


def codes(response):
    page = response.content.decode()
    return {r.code for r in Report.objects.all() if r.code in page}


def test_staff_see_every_report_newest_first(client_for, categories, sagrario_point, valle_point):
    old = file_report(categories["otro"], sagrario_point)
    new = file_report(categories["otro"], valle_point)
    page = client_for("tecnico").get(URL).content.decode()
    assert page.index(new.code) < page.index(old.code)


def test_a_parish_president_sees_only_their_parish(client_for, categories, sagrario_point, valle_point):
    mine = file_report(categories["otro"], sagrario_point)
    theirs = file_report(categories["otro"], valle_point)
    c = client_for("presidente.sagrario")
    assert codes(c.get(URL)) == {mine.code}
    assert c.get(mine.get_absolute_url()).status_code == 200
    assert c.get(theirs.get_absolute_url()).status_code == 404
    export = c.get(URL + "?export=csv")
    body = b"".join(export.streaming_content).decode()
    assert mine.code in body and theirs.code not in body


def test_a_parish_president_cannot_change_another_parishs_report(client_for, categories, valle_point):
    theirs = file_report(categories["otro"], valle_point)
    response = client_for("presidente.sagrario").post(
        theirs.get_absolute_url() + "actualizar/", {"status": "in_review", "visibility": "public", "text": "x"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Report.Status.RECEIVED


def test_a_liaison_sees_only_reports_assigned_to_their_institution(client_for, users, categories, sagrario_point):
    police = Institution.objects.create(name="Policía Nacional", kind="public")
    liaison = users["enlace.policia"]
    liaison.institution = police
    liaison.save()
    assigned = file_report(categories["drogas-via-publica"], sagrario_point)
    other = file_report(categories["otro"], sagrario_point)
    services.assign(users["tecnico"], assigned, institution=police, person=None)
    c = client_for("enlace.policia")
    assert codes(c.get(URL)) == {assigned.code}
    assert c.get(other.get_absolute_url()).status_code == 404
    page = c.get(assigned.get_absolute_url()).content.decode()
    assert 'id="update-form"' not in page  # liaisons read


def test_filters_by_status_category_and_parish(client_for, categories, sagrario_point, valle_point, users):
    light = file_report(categories["alumbrado-deficiente"], sagrario_point)
    noise = file_report(categories["ruido-libadores"], valle_point)
    services.post_update(users["tecnico"], noise, status="in_review", text="", public=True)
    c = client_for("directora")
    assert codes(c.get(URL, {"status": "in_review"})) == {noise.code}
    assert codes(c.get(URL, {"category": categories["alumbrado-deficiente"].pk})) == {light.code}
    assert codes(c.get(URL, {"parish": light.parish_id})) == {light.code}
    assert codes(c.get(URL, {"q": noise.code})) == {noise.code}


def test_signed_out_visitors_meet_the_login(client, report):
    response = client.get(URL)
    assert response.status_code == 302 and "/ingresar/" in response["Location"]
    assert client.get(report.get_absolute_url()).status_code == 302
