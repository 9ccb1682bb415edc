"""An assignment changed: saving an item tells its assignee of that item only (not of all their others again); a
reassigned item's notices leave the old assignee ("Asignado a usted" would stay on a page that is no longer theirs);
an assignment written by a bulk `QuerySet.update` (which sends no signal) tells its assignees through
`services.assigned`. "Mis avisos" reads each source once per request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centinela.notifications import services
from centinela.notifications.models import Notice
from centinela.notifications.sources import SOURCES
from centinela.notifications.tests.conftest import citizen_report, resolution, ticket
from centinela.participation import services as participation_services
from centinela.participation.models import Report

pytestmark = pytest.mark.django_db


def _told(user, source=None):
    notices = Notice.objects.filter(user=user)
    if source:
        notices = notices.filter(source=source)
    return set(notices.values_list("source", "object_id", "kind"))


def test_saving_an_item_tells_its_assignee_of_that_item_only(users):
    tech = users["tecnico"]
    first = ticket(tech, tech, code="CAM-N-1")
    second = ticket(tech, tech, code="CAM-N-2")
    Notice.objects.filter(object_id=second.pk).delete()  # not yet told of the second (as after a bulk change)
    first.notes += "\nRevisado"
    first.save()
    assert _told(tech) == {("tickets", first.pk, "assigned")}  # the save re-read the first ticket only
    second.save()
    assert _told(tech) == {("tickets", first.pk, "assigned"), ("tickets", second.pk, "assigned")}


def test_a_reassigned_report_leaves_the_old_assignees_notices(users, client_for):
    old, new = users["tecnico"], users["directora"]
    report = citizen_report(old, old, days_ago=40)  # assigned and overdue
    services.sync(old)
    assert {kind for _s, _id, kind in _told(old, "reports")} == {"assigned", "overdue"}
    Notice.objects.filter(user=old).update(read_at=report.created_at)  # read or not, they go
    participation_services.assign(old, report, institution=None, person=new)
    assert _told(old, "reports") == set()
    assert ("reports", report.pk, "assigned") in _told(new, "reports")
    assert report.get_absolute_url() not in client_for("tecnico").get(reverse("notifications:inbox")).content.decode()


def test_a_resolution_whose_owner_changes_or_is_removed(users):
    item = resolution(users["tecnico"], due_in_days=-2)
    assert _told(users["tecnico"], "resolutions")
    item.owner = users["directora"]
    item.save()
    assert not _told(users["tecnico"], "resolutions") and _told(users["directora"], "resolutions")
    item.owner = None
    item.save()
    assert not Notice.objects.filter(source="resolutions").exists()


def test_a_bulk_assignment_tells_the_new_assignees_through_the_service(users):
    old, new = users["tecnico"], users["directora"]
    reports = [citizen_report(old, old), citizen_report(old, old)]
    ids = [r.pk for r in reports]
    Report.objects.filter(pk__in=ids).update(assigned_to=new)  # no signal
    assert services.assigned(SOURCES["reports"], ids) == 2
    assert _told(old, "reports") == set()
    assert _told(new, "reports") == {("reports", pk, "assigned") for pk in ids}


def test_my_notices_reads_each_source_once(users, client_for):
    resolution(users["tecnico"], due_in_days=-2)
    client = client_for("tecnico")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("notifications:inbox")).status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if '"activities_resolution"."owner_id" = ' in q["sql"]]
    assert len(reads) == 1, reads


def test_no_bulk_update_assigns_an_item_behind_the_notices_back():
    """A `QuerySet.update` or `bulk_update` that sets an assignee field of a source's model sends no signal: the new
    assignee would not be told and the old one's notice would stay. None does today; one added must call
    `services.assigned(source, ids)` after it, and be listed here."""
    import ast
    from pathlib import Path

    import centinela

    fields = {f for s in SOURCES.values() for f in s.assignee_fields} | {
        f"{f}_id" for s in SOURCES.values() for f in s.assignee_fields
    }
    allowed: set[str] = set()  # "app/module.py" of a bulk assignment followed by services.assigned
    found = []
    root = Path(centinela.__file__).parent
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in relative or relative in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr == "update" and fields & {k.arg for k in node.keywords}:
                    found.append(f"{relative}:{node.lineno}")
                if node.func.attr == "bulk_update" and any(
                    isinstance(c, ast.Constant) and c.value in fields for a in node.args for c in ast.walk(a)
                ):
                    found.append(f"{relative}:{node.lineno}")
    assert found == []


def test_no_bulk_create_of_a_sources_items_goes_untold():
    """`bulk_create` sends no post_save either: the assignees of items inserted in bulk were never told (the demo's
    citizen reports). Code that bulk-creates a source's items sends a signal the notices hear (the demo:
    `participation.signals.reports_created`), and is listed here."""
    import ast
    from pathlib import Path

    import centinela

    models = {s.model.__name__ for s in SOURCES.values() if s.model is not None and s.assignee_fields}
    allowed = {"participation/demo.py"}  # sends reports_created after its bulk_create
    found = []
    root = Path(centinela.__file__).parent
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in relative:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "bulk_create"
                and isinstance(node.func.value, ast.Attribute)
                and isinstance(node.func.value.value, ast.Name)
                and node.func.value.value.id in models
            ):
                found.append(relative)
    assert sorted(set(found)) == sorted(allowed)
    assert all("reports_created.send(" in (root / relative).read_text() for relative in allowed)
