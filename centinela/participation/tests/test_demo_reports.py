"""The demo's citizen reports (issue 12 item 9): about 300 invented reports of 2020 across Loja's barrios, in every
status, routed to the demo year's institutions, with duplicates merged into kept reports of the same category,
sensitive ones, contact data for some (with consent) and anonymous for most; fast, and loaded once however often
load_demo runs."""

from datetime import date

import pytest
from django.db.models import Count, F
from django.utils import timezone

from centinela.accounts.demo import ensure_demo_users
from centinela.activities.demo import load_demo_year_2020
from centinela.participation import selectors
from centinela.participation.demo import ROUTING, load_demo_reports
from centinela.participation.limits import personal_data_in
from centinela.participation.models import OPEN, Report, ReportUpdate
from centinela.territory.selectors import in_canton, locate_ids


@pytest.fixture
def demo(db):
    load_demo_year_2020()
    ensure_demo_users()  # the liaisons belong to the year's institutions
    return load_demo_reports()


def test_three_hundred_reports_in_every_status(demo):
    result = demo
    assert result == {"created": 300, "total": 300}
    per_status = dict(Report.objects.values_list("status").annotate(n=Count("id")))
    assert set(per_status) == set(Report.Status.values), per_status
    assert all(n > 0 for n in per_status.values())
    assert all(
        date(2020, 1, 1) <= timezone.localtime(at).date() <= date(2020, 12, 31)
        for at in Report.objects.values_list("created_at", flat=True)
    )


def test_loading_again_adds_nothing_and_more_keeps_the_first_ones(demo):
    before = list(Report.objects.order_by("code").values_list("code", "status", "lon", "lat", "created_at"))
    updates = ReportUpdate.objects.count()
    assert load_demo_reports() == {"created": 0, "total": 300}
    assert list(Report.objects.order_by("code").values_list("code", "status", "lon", "lat", "created_at")) == before
    assert ReportUpdate.objects.count() == updates
    assert load_demo_reports(n=400)["created"] == 100
    assert Report.objects.count() == 400
    assert set(before) <= set(Report.objects.values_list("code", "status", "lon", "lat", "created_at"))


def test_every_report_lies_in_the_canton_and_in_its_barrio(demo):
    reports = list(Report.objects.all())
    parish_ids, barrio_ids = locate_ids([r.lon for r in reports], [r.lat for r in reports])
    for r, parish_id, barrio_id in zip(reports, parish_ids.tolist(), barrio_ids.tolist(), strict=True):
        assert in_canton(r.lon, r.lat)
        assert r.barrio_id is not None and r.barrio_id == barrio_id, r.code
        assert r.parish_id == parish_id == r.barrio.parish_id
    assert Report.objects.values("barrio").distinct().count() >= 5


def test_duplicates_point_at_kept_reports_of_the_same_category(demo):
    duplicates = Report.objects.filter(status=Report.Status.DUPLICATE).select_related("duplicate_of")
    assert duplicates.count() >= 10
    for d in duplicates:
        kept = d.duplicate_of
        assert kept is not None and kept.status != Report.Status.DUPLICATE
        assert kept.category_id == d.category_id and kept.created_at < d.created_at
        assert not d.published
        assert d.updates.filter(status_to=Report.Status.DUPLICATE, public=True, text__contains=kept.code).exists()
        assert kept.updates.filter(public=False, text__contains=d.code).exists()
    assert not Report.objects.exclude(status=Report.Status.DUPLICATE).exclude(duplicate_of=None).exists()


def test_sensitive_reports_are_there_and_counted_not_shown_as_points(demo):
    sensitive = Report.objects.filter(category__sensitive=True)
    assert sensitive.count() >= 30
    public = selectors.public_reports()
    assert public.filter(category__sensitive=True).exists()
    assert not selectors.public_points(public).filter(category__sensitive=True).exists()
    # counted over complete months (without a minimum here: every one of them)
    counts = selectors.sensitive_counts({}, k=1)
    before = selectors._local_start(selectors.sensitive_period(None, None)[1])
    assert counts["total"] == sum(c["count"] for c in counts["rows"])
    assert counts["total"] == public.filter(category__sensitive=True, created_at__lt=before).count()


def test_contact_data_for_some_with_consent_and_many_anonymous(demo):
    total = Report.objects.count()
    with_contact = Report.objects.filter(contact_consent=True)
    assert 0.2 * total < with_contact.count() < 0.5 * total
    for r in with_contact:
        assert r.consent_at == r.created_at
        assert r.contact_name and (r.contact_phone or r.contact_email)
        assert not r.contact_email or r.contact_email.endswith("@example.com")
        assert not r.contact_phone or (r.contact_phone.startswith("099000") and len(r.contact_phone) == 10)
    assert sum(r.anonymous for r in Report.objects.all()) > 0.5 * total


def test_the_lifecycle_reads_as_a_history(demo):
    """Each report's status is where its status changes lead, in order, from "received"; the dates follow each
    other; a report that was acted on names its institution in a public update."""
    for r in Report.objects.prefetch_related("updates"):
        steps = [u for u in r.updates.all() if u.status_to]
        assert steps[0].status_to == Report.Status.RECEIVED and steps[0].created_at == r.created_at
        assert steps[-1].status_to == r.status, r.code
        for before, after in zip(steps, steps[1:], strict=False):
            assert after.status_from == before.status_to and after.created_at >= before.created_at
        if r.status in (Report.Status.ASSIGNED, Report.Status.IN_PROGRESS, Report.Status.RESOLVED):
            assert r.assigned_institution is not None
            assert r.updates.filter(public=True, text=f"Asignado a {r.assigned_institution.name}.").exists()


def test_routing_follows_the_rules_and_publishing_the_moderation(demo):
    for r in Report.objects.filter(status=Report.Status.RECEIVED).select_related("category", "assigned_institution"):
        expected = ROUTING.get(r.category.code)
        assert (r.assigned_institution.name if r.assigned_institution else None) == expected
    published = Report.objects.filter(published=True)
    assert published.count() > 100
    assert not published.filter(status__in=[Report.Status.RECEIVED, Report.Status.DUPLICATE]).exists()
    assert not any(personal_data_in(r.public_text) for r in published)
    for r in Report.objects.filter(flagged=True):  # a phone number in the words: held for moderation
        assert not r.published and personal_data_in(r.public_text) == ["phone"]
    assert not Report.objects.filter(flagged=False).exclude(description=F("public_text")).exists()


def test_each_open_report_the_demo_assigns_to_a_person_has_told_them(demo):
    """The demo inserts its reports in bulk, which sends no post_save: their assignees were never told. Each open
    report assigned to a person has that person's notice, as after an assignment in triage."""
    from centinela.notifications.models import Notice

    def assigned():
        return set(Report.objects.filter(status__in=OPEN).exclude(assigned_to=None).values_list("pk", "assigned_to"))

    def told():
        return list(Notice.objects.filter(source="reports", kind=Notice.Kind.ASSIGNED).values_list("object_id", "user"))

    assert len(assigned()) >= 10
    assert sorted(told()) == sorted(assigned())
    load_demo_reports(n=340)  # a top-up tells of its new reports, and no one twice
    assert sorted(told()) == sorted(assigned())
