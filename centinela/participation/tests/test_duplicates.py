"""Duplicates: the staff report page suggests reports of the same category filed within a distance and a number of
days (both settings); merging makes the report a duplicate pointing at the kept one, takes it off the public map,
and from then on each public update of the kept report is e-mailed to every reporter, each with their own link."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from centinela.participation import selectors, services
from centinela.participation.models import Report

from .conftest import file_report


def moved(point, metres_north):
    return point[0], point[1] + metres_north / 111_320


def contact(name, email):
    return services.Contact(name=name, email=email, consent=True)


@pytest.fixture
def pair(categories, sagrario_point):
    kept = file_report(categories["alumbrado-deficiente"], sagrario_point, contact=contact("Rosa", "rosa@example.ec"))
    other = file_report(
        categories["alumbrado-deficiente"], moved(sagrario_point, 60), contact=contact("Luis", "luis@example.ec")
    )
    return kept, other


def test_the_same_category_nearby_and_recent_is_suggested(pair, categories, sagrario_point, users, settings):
    kept, other = pair
    far = file_report(categories["alumbrado-deficiente"], moved(sagrario_point, 400))
    other_kind = file_report(categories["ruido-libadores"], moved(sagrario_point, 10))
    old = file_report(categories["alumbrado-deficiente"], moved(sagrario_point, 20))
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=45))
    found = selectors.duplicate_candidates(users["tecnico"], other)
    assert [r for r, _ in found] == [kept]
    assert 55 < found[0][1] < 65
    settings.PARTICIPATION_DUPLICATE_METRES = 500
    settings.PARTICIPATION_DUPLICATE_DAYS = 60
    found = {r for r, _ in selectors.duplicate_candidates(users["tecnico"], other)}
    assert found == {kept, far, old} and other_kind not in found


def test_the_staff_page_suggests_and_merges(client_for, pair, django_capture_on_commit_callbacks):
    kept, other = pair
    c = client_for("tecnico")
    page = c.get(other.get_absolute_url()).content.decode()
    assert "Posibles duplicados" in page and kept.code in page
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(other.get_absolute_url() + "fusionar/", {"keep": kept.pk})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == Report.Status.DUPLICATE and other.duplicate_of == kept and not other.published
    # the merged report's reporter is told, with their own link
    assert [m.to for m in mail.outbox] == [["luis@example.ec"]]
    assert kept.code in mail.outbox[0].body and other.tracking_path() in mail.outbox[0].body
    assert kept.tracking_path() not in mail.outbox[0].body
    assert other.code in c.get(kept.get_absolute_url()).content.decode()


def test_public_updates_of_the_kept_report_reach_every_reporter_each_with_their_own_link(
    pair, users, django_capture_on_commit_callbacks
):
    kept, other = pair
    services.merge(users["tecnico"], other, kept, tracking_url="http://testserver" + other.tracking_path())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_update(
            users["tecnico"],
            kept,
            status="in_progress",
            text="La empresa eléctrica irá el jueves",
            public=True,
            tracking_url="http://testserver" + kept.tracking_path(),
        )
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {"rosa@example.ec", "luis@example.ec"}
    for message in sent.values():
        assert "La empresa eléctrica irá el jueves" in message.body and "En proceso" in message.body
    assert "http://testserver" + kept.tracking_path() in sent["rosa@example.ec"].body
    luis = sent["luis@example.ec"].body
    assert "http://testserver" + other.tracking_path() in luis and kept.tracking_path() not in luis
    assert other.code in sent["luis@example.ec"].subject


def test_an_internal_note_on_the_kept_report_reaches_nobody(pair, users, django_capture_on_commit_callbacks):
    kept, other = pair
    services.merge(users["tecnico"], other, kept)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_update(users["tecnico"], kept, status=kept.status, text="NOTA", public=False)
    assert mail.outbox == []


def test_the_merged_reporter_follows_the_kept_report_on_their_tracking_page(client, pair, users):
    kept, other = pair
    services.merge(users["tecnico"], other, kept)
    services.post_update(users["tecnico"], kept, status="in_progress", text="Cuadrilla asignada", public=True)
    page = client.get(other.tracking_path()).content.decode()
    assert kept.code in page and "Cuadrilla asignada" in page and "En proceso" in page
    assert kept.token not in page


def test_merges_that_make_no_sense_are_refused(pair, categories, sagrario_point, users):
    kept, other = pair
    staff = users["tecnico"]
    with pytest.raises(ValidationError):
        services.merge(staff, kept, kept)
    services.merge(staff, other, kept)
    third = file_report(categories["alumbrado-deficiente"], sagrario_point)
    with pytest.raises(ValidationError):
        services.merge(staff, third, other)  # into a duplicate: merge into the kept one
    with pytest.raises(ValidationError):
        services.merge(staff, other, third)  # already merged


def test_reports_merged_before_follow_to_the_new_kept_report(pair, categories, sagrario_point, users):
    kept, other = pair
    third = file_report(categories["alumbrado-deficiente"], sagrario_point)
    services.merge(users["tecnico"], third, other)
    services.merge(users["tecnico"], other, kept)
    third.refresh_from_db()
    assert third.duplicate_of == kept
    assert set(selectors.duplicates_of(kept)) == {other, third}


def test_reopening_a_merged_report_unlinks_it(pair, users):
    kept, other = pair
    services.merge(users["tecnico"], other, kept)
    services.post_update(users["tecnico"], other, status="in_review", text="No era el mismo poste", public=True)
    other.refresh_from_db()
    assert other.duplicate_of is None and other.status == Report.Status.IN_REVIEW


def test_a_parish_president_cannot_merge_into_another_parishs_report(
    client_for, categories, sagrario_point, valle_point
):
    mine = file_report(categories["otro"], sagrario_point)
    theirs = file_report(categories["otro"], valle_point)
    response = client_for("presidente.sagrario").post(mine.get_absolute_url() + "fusionar/", {"keep": theirs.pk})
    assert response.status_code == 400
    mine.refresh_from_db()
    assert mine.status == Report.Status.RECEIVED
