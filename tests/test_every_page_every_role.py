"""The role matrix: every URL pattern of the site (the resolver walked, the API included; the Django admin by its own
rule), tried by anonymous visitors and by each role, with path parameters filled with real records of the demo
(parish-scoped records taken from El Sagrario, so the president of El Valle asking for them by id is the IDOR case).
Each URL name has an explicit expectation below: who gets the page (2xx, or 3xx other than the login), everyone
else signed-in gets 403/404 (never the page, never 5xx), anonymous visitors meet the login (pages) or 401 (API)
unless the URL is public. A URL without an expectation fails the test: add one line to EXPECT (issue 2 and issue 10)."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from centinela.accounts.demo import ensure_demo_users
from centinela.activities.demo import load_demo_year_2020

ROLES = ["admin", "directora", "tecnico", "enlace.policia", "enlace.ecu911", "presidente.sagrario", "presidente.valle"]
OWN, OTHER = "presidente.sagrario", "presidente.valle"  # sample records are of El Sagrario (110101)
ADMIN = frozenset({"admin"})
AUDIT = ADMIN | {"directora"}
STAFF = AUDIT | {"tecnico"}
LIAISONS = frozenset({"enlace.policia", "enlace.ecu911"})
READERS = STAFF | LIAISONS  # council staff and the liaisons (read-only)
PARISH = STAFF | {OWN}  # staff, and the president of the record's own parish
PARISH_READERS = READERS | {OWN}
EVERYONE = READERS | {OWN, OTHER}
NOBODY = frozenset()


@dataclass(frozen=True)
class Expect:
    ok: frozenset  # roles that get the page; every other signed-in role gets 403/404
    public: bool = False  # anonymous visitors get it too (else: the login, or 401 under /api/)
    method: str = "GET"  # POST for actions that only take a form (sent empty: refused or a form error)
    signs_out: bool = False  # the answer is the login page, for everyone: that is the page
    permissions_decide: bool = False  # the roles in `ok` may still be refused (Django admin model permissions)


def E(ok, **kw):
    return Expect(frozenset(ok), **kw)


def post(ok):
    return Expect(frozenset(ok), method="POST")


PUBLIC = Expect(EVERYONE, public=True)

# One line per URL name. Namespaced names as reverse() takes them.
EXPECT: dict[str, Expect] = {
    "home": E(EVERYONE),
    "health": PUBLIC,
    "set_language": Expect(EVERYONE, public=True, method="POST"),
    # accounts
    "login": PUBLIC,
    "logout": Expect(EVERYONE, public=True, method="POST", signs_out=True),
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": PUBLIC,
    "password_reset_complete": PUBLIC,
    "password_change": E(EVERYONE),
    "password_change_done": E(EVERYONE),
    "audit_log": E(AUDIT),
    "data_requests": E(AUDIT),  # data-protection requests: those who may see personal data
    "second_factor": E(EVERYONE),
    "second_factor_verify": E(EVERYONE),  # anonymous: no password typed, the login
    "user_list": E(ADMIN),
    "user_create": E(ADMIN),
    "user_detail": E(ADMIN),
    "user_edit": E(ADMIN),
    "user_set_active": post(ADMIN),
    "user_password_link": post(ADMIN),
    "user_reset_second_factor": post(ADMIN),
    # territory
    "territory:parish_list": E(EVERYONE),
    "territory:parish_detail": E(PARISH_READERS),
    "territory:parish_edit": E(STAFF),
    "territory:parish_population_create": E(STAFF),
    "territory:boundary_import": E(STAFF),
    "territory:barrio_list": E(EVERYONE),
    "territory:barrio_create": E(STAFF | {OWN, OTHER}),
    "territory:barrio_detail": E(PARISH_READERS),
    "territory:barrio_edit": E(PARISH),
    "territory:barrio_population_create": E(STAFF),
    "territory:place_list": E(EVERYONE),
    "territory:place_create": E(STAFF | {OWN, OTHER}),
    "territory:place_detail": E(PARISH_READERS),
    "territory:place_edit": E(PARISH),
    # activities: plans and activities
    "activities:activity_list": E(EVERYONE),
    "activities:activity_create": E(STAFF | {OWN, OTHER}),
    "activities:activity_detail": E(PARISH_READERS),
    "activities:activity_edit": E(PARISH),
    "activities:evidence_upload": E(PARISH),
    "activities:evidence_file": E(PARISH_READERS),
    "activities:activity_import": E(STAFF | {OWN, OTHER}),
    "activities:calendar": E(EVERYONE),
    "activities:activity_map": E(EVERYONE),
    "activities:activity_map_data": E(EVERYONE),
    "activities:plan_list": E(EVERYONE),
    "activities:plan_create": E(STAFF | {OWN, OTHER}),
    "activities:plan_detail": E(READERS),
    "activities:plan_edit": E(STAFF),
    "activities:programme_create": E(STAFF),
    "activities:programme_detail": E(READERS),
    "activities:programme_edit": E(STAFF),
    "activities:indicator_create": E(STAFF),
    "activities:indicator_edit": E(STAFF),
    # activities: trainings
    "activities:training_list": E(EVERYONE),
    "activities:training_create": E(STAFF | {OWN, OTHER}),
    "activities:training_coverage": E(EVERYONE),
    "activities:training_detail": E(PARISH_READERS),
    "activities:training_edit": E(PARISH),
    "activities:training_status": post(PARISH),
    "activities:training_attendance": E(PARISH),
    "activities:training_person_search": E(PARISH),
    "activities:training_unmark": post(PARISH),
    "activities:training_participation": post(PARISH),  # sent empty: refused with a message, nothing changes
    "activities:training_mark_present": post(NOBODY),  # an empty form names nobody: 404 for everyone
    "activities:training_attendance_import": E(PARISH),
    "activities:training_checkin_toggle": post(PARISH),
    "activities:training_checkin_poster": E(PARISH),
    "activities:training_issue_certificates": post(PARISH),
    "activities:training_certificate": E(PARISH_READERS),
    "activities:training_checkin": PUBLIC,
    "activities:training_verify": PUBLIC,
    "activities:training_verify_code": PUBLIC,
    # activities: governance
    "activities:working_group_list": E(EVERYONE),
    "activities:working_group_create": E(STAFF | {OWN, OTHER}),
    "activities:working_group_detail": E(READERS),
    "activities:working_group_edit": E(STAFF),
    "activities:working_group_member_add": E(STAFF),
    "activities:working_group_member_edit": E(STAFF),
    "activities:working_group_member_remove": post(STAFF),
    "activities:meeting_create": E(STAFF),
    "activities:meeting_edit": E(PARISH),
    "activities:session_list": E(READERS),
    "activities:session_create": E(STAFF),
    "activities:session_detail": E(READERS),
    "activities:session_edit": E(STAFF),
    "activities:session_attendance": E(STAFF),
    "activities:resolution_create": E(STAFF),
    "activities:resolution_edit": E(STAFF),
    "activities:resolution_board": E(READERS),
    # partners
    "partners:institution_list": E(EVERYONE),
    "partners:institution_create": E(STAFF),
    "partners:institution_detail": E(EVERYONE),
    "partners:institution_edit": E(STAFF),
    "partners:contact_create": E(STAFF),
    "partners:contact_edit": E(STAFF),
    "partners:participation_create": E(STAFF | {OWN, OTHER}),
    "partners:participation_edit": E(PARISH),
    "partners:in_kind_summary": E(EVERYONE),
    "partners:agreement_list": E(READERS),
    "partners:agreement_create": E(STAFF),
    "partners:agreement_detail": E(READERS),
    "partners:agreement_edit": E(STAFF),
    "partners:obligation_create": E(STAFF),
    "partners:obligation_edit": E(STAFF),
    "reports:annual_report": E(READERS),
    "reports:download": E(()),  # a report document by job id: the sample job built no report, so 404 for every role
    "reports:version_generate": post(STAFF),  # an empty form names no year: back to the page with a message
    "reports:version_approve": post({"directora"}),  # the director alone (the sample's figures differ: refused)
    "reports:version_download": E(READERS),
    # cameras
    "cameras:dashboard": E(EVERYONE),
    "cameras:dashboard_counts": E(EVERYONE),
    "cameras:dashboard_lists": E(EVERYONE),
    "cameras:dashboard_map": E(EVERYONE),
    "cameras:site_list": E(EVERYONE),
    "cameras:site_create": E(STAFF | {OWN, OTHER}),
    "cameras:site_detail": E(PARISH_READERS),
    "cameras:site_edit": E(PARISH),
    "cameras:system_create": E(PARISH),
    "cameras:system_edit": E(PARISH),
    "cameras:device_list": E(EVERYONE),
    "cameras:device_create": E(STAFF | {OWN, OTHER}),
    "cameras:device_detail": E(PARISH_READERS),
    "cameras:device_edit": E(PARISH),
    "cameras:device_lifecycle": post(PARISH),
    "cameras:device_link_incident": post(PARISH),
    "cameras:sighting_unlink": post(STAFF),
    "cameras:ticket_list": E(EVERYONE),
    "cameras:ticket_create": E(STAFF | {OWN, OTHER}),
    "cameras:ticket_detail": E(PARISH_READERS),
    "cameras:ticket_assign": post(PARISH),
    "cameras:ticket_progress": post(PARISH),
    "cameras:ticket_resolve": post(PARISH),
    "cameras:schedule_list": E(EVERYONE),
    "cameras:schedule_create": E(STAFF | {OWN, OTHER}),
    "cameras:schedule_done": post(PARISH),
    # liaisons make and read their own institution's requests (the sample is the Policía's)
    "cameras:footage_list": E(READERS),
    "cameras:footage_create": E(READERS),
    "cameras:footage_detail": E(STAFF | {"enlace.policia"}),
    "cameras:footage_answer": post(STAFF),
    "cameras:ecu911": E(EVERYONE),
    "cameras:ecu911_export": E(EVERYONE),
    # incidents, indicators, analyses, open data
    "incidents:incident_list": E(EVERYONE),
    "incidents:incident_map_data": E(EVERYONE),
    "incidents:incident_create": E(STAFF | {OWN, OTHER}),
    "incidents:incident_detail": E(PARISH_READERS),
    "incidents:incident_edit": E(STAFF),
    "incidents:incident_status": post(PARISH),
    "incidents:import": E(STAFF),
    "incidents:profile_list": E(READERS),
    "incidents:profile_create": E(STAFF),
    "incidents:profile_edit": E(STAFF),
    "indicators:index": E(EVERYONE),
    "indicators:chart": E(EVERYONE),
    "observatory:index": E(EVERYONE),
    "observatory:kde": E(EVERYONE),
    "observatory:gistar": E(EVERYONE),
    "observatory:near_repeat": E(EVERYONE),
    "observatory:coverage": E(EVERYONE),
    "observatory:placement": E(EVERYONE),
    "observatory:impact": E(EVERYONE),
    "observatory:accuracy": E(EVERYONE),
    "observatory:result": E(STAFF),
    "observatory:download": E(STAFF),
    "opendata:index": PUBLIC,
    "participation_figures:index": E(EVERYONE),
    # citizen reports: residents file and follow them without an account; the sample is El Sagrario's, assigned to
    # the Policía (whose liaison reads it)
    "participation:report_new": PUBLIC,
    "participation:place_search": PUBLIC,
    "participation:track": PUBLIC,
    "participation:track_photo": PUBLIC,
    "participation:inbox": E(EVERYONE),
    "participation:overdue": E(EVERYONE),
    "participation:report_detail": E(PARISH | {"enlace.policia"}),
    "participation:report_update": post(PARISH),
    "participation:report_assign": post(PARISH),
    "participation:report_public_text": post(PARISH),
    "participation:report_publish": post(PARISH),
    "participation:report_merge": post(PARISH),
    "participation:report_camera": post(PARISH),
    "participation:report_answer": post(PARISH),
    "participation:report_unanswer": post(PARISH),  # redirects back to the report page, unlinking nothing
    "participation:public_map": PUBLIC,
    "participation:report_photo": E(PARISH | {"enlace.policia"}),
    # barrio committees: staff and parish presidents (their own parish's); liaisons none
    "participation:committee_list": E(STAFF | {OWN, OTHER}),
    "participation:committee_create": E(STAFF | {OWN, OTHER}),
    "participation:agreement_list": E(STAFF | {OWN, OTHER}),
    "participation:agreement_follow_up": E(PARISH),
    "participation:committee_detail": E(PARISH),
    "participation:committee_edit": E(PARISH),
    "participation:committee_member_add": E(PARISH),
    "participation:committee_member_edit": E(PARISH),
    "participation:committee_meeting_create": E(PARISH),
    "participation:committee_meeting_edit": E(PARISH),
    # jobs: the council's staff see every job, the others their own (the sample job is the technician's)
    "jobs:job_list": E(EVERYONE),
    "jobs:job_detail": E(STAFF),
    "jobs:job_status": E(STAFF),
    # notifications: each user's own notices, assigned and overdue items, and digest choice
    "notifications:inbox": E(EVERYONE),
    "notifications:mark_read": post(EVERYONE),  # an empty form marks the user's own notices read
    "notifications:preferences": post(EVERYONE),  # an empty form turns the user's own digest off
    # the API (session-authenticated here; tokens in tests/test_api_schemathesis.py)
    "api:api-root": E(NOBODY),
    "api:openapi-json": E(EVERYONE),
    "api:openapi-view": E(EVERYONE),
    "api:parishes": E(EVERYONE),
    "api:barrios": E(EVERYONE),
    "api:places": E(EVERYONE),
    "api:create_place": post(NOBODY),  # an empty body: 422 for everyone, never a place
    "api:place": E(PARISH_READERS),
    "api:locate": E(EVERYONE),
    "api:incidents": E(EVERYONE),
    "api:incident": E(PARISH_READERS),
    "api:categories": E(EVERYONE),
    # Open311 GeoReport v2: public reading; posting takes an Open311 api_key (none here: 403 for everyone)
    "api:open311_discovery": PUBLIC,
    "api:open311_services": PUBLIC,
    "api:open311_service_definition": PUBLIC,
    "api:open311_requests": PUBLIC,
    "api:open311_create_request": post(NOBODY),
    "api:open311_request": PUBLIC,
}
# The Django admin: no role but the administrator ever gets a page of it (the others are refused or sent to its
# login); what the administrator gets is decided by their model permissions.
NAMESPACE_RULES = {"admin": Expect(ADMIN, permissions_decide=True)}
EXPECT["admin:login"] = PUBLIC
EXPECT["admin:logout"] = Expect(EVERYONE, permissions_decide=True)  # signing oneself out (GET: 405 for staff)
QUERY = {"api:locate": "?lon=-79.2&lat=-4.0", "cameras:ecu911_export": "", "activities:training_person_search": "?q=a"}


def url_patterns(resolver=None, prefix="", route="/"):
    """(name, pattern, full route) for every URL pattern the resolver reaches (unnamed ones as "ns:<unnamed>")."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from url_patterns(p, f"{prefix}{p.namespace}:" if p.namespace else prefix, route + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + (p.name or "<unnamed>"), p, route + str(p.pattern)


def _first(model, **filters):
    obj = model.objects.filter(**filters).order_by("pk").first()
    assert obj is not None, f"no {model.__name__} sample for the role matrix"
    return obj


class Samples:
    """Records of the demo (and a few made here) to fill path parameters, parish-scoped ones of El Sagrario."""

    def __init__(self, users):
        from centinela.activities import models as act
        from centinela.cameras import models as cam
        from centinela.cameras.demo import load_demo_cameras
        from centinela.incidents.demo import load_demo_incidents
        from centinela.incidents.models import Incident
        from centinela.jobs.models import Job
        from centinela.partners import models as partners
        from centinela.territory.models import Barrio, Parish, Place

        load_demo_year_2020()
        ensure_demo_users()  # the liaisons now belong to the year's institutions (Policía, ECU 911)
        load_demo_cameras()
        load_demo_incidents(n=300)
        sagrario = Parish.objects.get(code="110101")
        device = _first(cam.Device, system__site__parish=sagrario)
        incident = _first(Incident, parish=sagrario)
        ticket = cam.MaintenanceTicket.objects.create(
            device=device, opened_at=incident.occurred_at, status="detected", description="Sin imagen"
        )
        when = datetime(2020, 3, 1, 1, tzinfo=UTC)
        footage = cam.FootageRequest.objects.create(
            institution=partners.Institution.objects.get(name="Policía Nacional"),
            requester="Sgto. Matriz",
            requested_at=when,
            incident_reference="Parte 1",
            period_start=when,
            period_end=when.replace(hour=2),
        )
        sighting = cam.Sighting.objects.filter(incident__parish=sagrario).first() or cam.Sighting.objects.create(
            device=device, incident=incident, automatic=False
        )
        job = Job.objects.create(
            kind="observatory.kde",
            status=Job.Status.DONE,
            created_by=users["tecnico"],
            params={},
            result={
                "table": {"header": ["cell", "density_per_km2"], "rows": [[1, 0.5]], "total": 1},
                "synthetic": True,
                "geojson": {"type": "FeatureCollection", "features": []},
            },
        )
        training = _first(act.Training, activity__parish=sagrario)
        attendance = _first(act.Attendance, training=training)
        certified = act.Attendance.objects.exclude(certificate_code=None).order_by("pk").first()
        if certified is None:
            from centinela.activities.services.training import issue_certificates

            done = _first(
                act.Training,
                activity__parish=sagrario,
                activity__status=act.Activity.Status.DONE,
                attendances__attended=True,
            )
            issue_certificates(users["admin"], done)
            certified = act.Attendance.objects.exclude(certificate_code=None).order_by("pk").first()
        group = _first(act.WorkingGroup)
        session = _first(act.CouncilSession)
        agreement = _first(partners.Agreement)
        institution = _first(partners.Institution)
        from centinela.incidents.services import save_profile

        profile = save_profile(
            "Matriz de roles", "ecu911", {"occurred_at": "Fecha", "category": "Servicio", "lon": "X", "lat": "Y"}
        )
        report, report_photo = _sample_report(sagrario, users)
        from centinela.participation.committees import models as committees
        from centinela.participation.committees.demo import load_demo_committees

        load_demo_committees()
        committee = _first(committees.Committee, barrio__parish=sagrario)
        self.kwargs = {
            "territory:parish_detail": {"pk": sagrario.pk},
            "territory:parish_edit": {"pk": sagrario.pk},
            "territory:parish_population_create": {"pk": sagrario.pk},
            "territory:barrio_detail": {"pk": _first(Barrio, parish=sagrario).pk},
            "territory:barrio_edit": {"pk": _first(Barrio, parish=sagrario).pk},
            "territory:barrio_population_create": {"pk": _first(Barrio, parish=sagrario).pk},
            "territory:place_detail": {"pk": _first(Place, parish=sagrario).pk},
            "territory:place_edit": {"pk": _first(Place, parish=sagrario).pk},
            "activities:activity_detail": {"pk": _first(act.Activity, parish=sagrario, training=None).pk},
            "activities:activity_edit": {"pk": _first(act.Activity, parish=sagrario, training=None).pk},
            "activities:evidence_upload": {"pk": _first(act.Activity, parish=sagrario).pk},
            "activities:evidence_file": {"pk": _sample_evidence(act, sagrario)},
            "activities:plan_detail": {"pk": _first(act.Plan).pk},
            "activities:plan_edit": {"pk": _first(act.Plan).pk},
            "activities:programme_create": {"plan_pk": _first(act.Plan).pk},
            "activities:programme_detail": {"pk": _first(act.Programme).pk},
            "activities:programme_edit": {"pk": _first(act.Programme).pk},
            "activities:indicator_create": {"programme_pk": _first(act.Programme).pk},
            "activities:indicator_edit": {"pk": _first(act.Indicator).pk},
            **{
                f"activities:training_{n}": {"pk": training.pk}
                for n in (
                    "detail",
                    "edit",
                    "status",
                    "attendance",
                    "person_search",
                    "mark_present",
                    "attendance_import",
                    "checkin_toggle",
                    "checkin_poster",
                    "issue_certificates",
                )
            },
            "activities:training_unmark": {"pk": training.pk, "attendance_pk": attendance.pk},
            "activities:training_participation": {"pk": training.pk, "attendance_pk": attendance.pk},
            "activities:training_certificate": {"pk": certified.pk},
            "activities:training_checkin": {"token": training.checkin_token},
            "activities:training_verify_code": {"code": certified.certificate_code},
            "activities:working_group_detail": {"pk": group.pk},
            "activities:working_group_edit": {"pk": group.pk},
            "activities:working_group_member_add": {"pk": group.pk},
            "activities:meeting_create": {"pk": group.pk},
            "activities:working_group_member_edit": {"pk": _first(act.WorkingGroupMember).pk},
            "activities:working_group_member_remove": {"pk": _first(act.WorkingGroupMember).pk},
            "activities:meeting_edit": {"pk": _sample_meeting(act)},
            **{f"activities:session_{n}": {"pk": session.pk} for n in ("detail", "edit", "attendance")},
            "activities:resolution_create": {"pk": session.pk},
            "activities:resolution_edit": {"pk": _first(act.Resolution).pk},
            "partners:institution_detail": {"pk": institution.pk},
            "partners:institution_edit": {"pk": institution.pk},
            "partners:contact_create": {"pk": institution.pk},
            "partners:contact_edit": {
                "pk": partners.ContactPerson.objects.create(institution=institution, name="Contacto de la matriz").pk
            },
            "partners:participation_create": {"pk": institution.pk},
            "partners:participation_edit": {"pk": _first(act.ActivityPartner, activity__parish=sagrario).pk},
            "partners:agreement_detail": {"pk": agreement.pk},
            "partners:agreement_edit": {"pk": agreement.pk},
            "partners:obligation_create": {"pk": agreement.pk},
            "partners:obligation_edit": {"pk": _first(partners.Obligation).pk},
            "cameras:site_detail": {"pk": device.system.site.pk},
            "cameras:site_edit": {"pk": device.system.site.pk},
            "cameras:system_create": {"site_pk": device.system.site.pk},
            "cameras:system_edit": {"pk": device.system.pk},
            **{f"cameras:device_{n}": {"pk": device.pk} for n in ("detail", "edit", "lifecycle", "link_incident")},
            "cameras:sighting_unlink": {"pk": sighting.pk},
            **{f"cameras:ticket_{n}": {"pk": ticket.pk} for n in ("detail", "assign", "progress", "resolve")},
            "cameras:schedule_done": {"pk": _first(cam.MaintenanceSchedule, device__system__site__parish=sagrario).pk},
            "cameras:footage_detail": {"pk": footage.pk},
            "cameras:footage_answer": {"pk": footage.pk},
            "cameras:ecu911_export": {"fmt": "csv"},
            **{f"incidents:incident_{n}": {"pk": incident.pk} for n in ("detail", "edit", "status")},
            "incidents:profile_edit": {"pk": profile.pk},
            "observatory:result": {"pk": job.pk},
            "observatory:download": {"pk": job.pk, "fmt": "csv"},
            "jobs:job_detail": {"pk": job.pk},
            "jobs:job_status": {"pk": job.pk},
            "reports:download": {"pk": job.pk},
            **{f"reports:version_{n}": {"pk": _sample_version()} for n in ("approve", "download")},
            "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
            **{
                f"user_{n}": {"pk": users["tecnico"].pk}
                for n in ("detail", "edit", "set_active", "password_link", "reset_second_factor")
            },
            "api:place": {"place_id": _first(Place, parish=sagrario).pk},
            "api:incident": {"incident_id": incident.pk},
            "participation:track": {"token": report.token},
            "participation:track_photo": {"token": report.token, "pk": report_photo.pk},
            **{
                f"participation:report_{n}": {"pk": report.pk}
                for n in ("detail", "update", "assign", "public_text", "publish", "merge", "camera", "answer")
            },
            "participation:report_unanswer": {"pk": report.pk, "activity_pk": _first(act.Activity, parish=sagrario).pk},
            "participation:report_photo": {"pk": report_photo.pk},
            **{f"api:open311_{n}": {"format": "json"} for n in ("discovery", "services", "requests", "create_request")},
            "api:open311_service_definition": {"format": "xml", "service_code": report.category.code},
            "api:open311_request": {"format": "xml", "service_request_id": report.code},
            **{f"participation:committee_{n}": {"pk": committee.pk} for n in ("detail", "edit", "member_add")},
            "participation:committee_meeting_create": {"pk": committee.pk},
            "participation:committee_member_edit": {"pk": _first(committees.CommitteeMember, committee=committee).pk},
            "participation:committee_meeting_edit": {"pk": _first(committees.CommitteeMeeting, committee=committee).pk},
            "participation:agreement_follow_up": {
                "pk": _first(committees.CommitteeAgreement, meeting__committee=committee).pk
            },
        }
        self.admin_objects = {}

    def url(self, name, pattern, route):
        if name == "admin:<unnamed>":  # the admin's catch-all and its old-style object URL
            return "/admin/accounts/user/1/" if "object_id" in route else "/admin/no-such-page/"
        if name.startswith("admin:"):
            return _admin_url(name, pattern)
        keys = list(pattern.pattern.converters)
        kwargs = self.kwargs.get(name, {})
        assert set(kwargs) == set(keys), f"{name}: path parameters {keys} need a sample in Samples.kwargs"
        return reverse(name, kwargs=kwargs) + QUERY.get(name, "")


def _sample_version():
    from django.core.files.base import ContentFile

    from centinela.reports.models import ReportVersion
    from centinela.reports.services import sha256

    version = ReportVersion.objects.filter(year=2020).first()
    if version is None:
        content = b"%PDF-1.4\n%%EOF\n"
        version = ReportVersion(year=2020, number=1, figures={}, sha256=sha256(content))
        version.file.save("muestra.pdf", ContentFile(content), save=False)
        version.save()
    return version.pk


def _sample_evidence(act, parish):
    from django.core.files.base import ContentFile

    found = act.Evidence.objects.filter(activity__parish=parish).first()
    if found is None:
        found = act.Evidence(activity=_first(act.Activity, parish=parish))
        found.file.save("acta.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        found.save()
    return found.pk


def _sample_report(parish, users):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from centinela.participation import services
    from centinela.participation.models import ReportCategory
    from centinela.partners.models import Institution

    photo = io.BytesIO()
    Image.new("RGB", (8, 8)).save(photo, format="PNG")
    report = services.file_report(
        category=_first(ReportCategory, active=True),
        lon=parish.centre_lon,
        lat=parish.centre_lat,
        description="Poste sin luz",
        photos=[SimpleUploadedFile("poste.png", photo.getvalue())],
    )
    police = Institution.objects.get(name="Policía Nacional")
    services.assign(users["admin"], report, institution=police, person=None)
    services.publish(users["admin"], report, True)  # the Open311 API reads it by its code
    return report, report.photos.get()


def _sample_meeting(act):
    return _first(act.Activity, kind=act.Activity.Kind.MEETING, working_group__isnull=False).pk


def _admin_url(name, pattern):
    """The admin's patterns filled with the first record of their model (the admin's own views resolve the rest)."""
    from django.contrib import admin

    keys = list(pattern.pattern.regex.groupindex)
    if not keys:
        return reverse(name)
    if keys == ["app_label"]:
        return reverse(name, kwargs={"app_label": "accounts"})
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            obj = model.objects.order_by("pk").first()
            return reverse(name, kwargs={"object_id": obj.pk if obj else 0})
    if keys == ["content_type_id", "object_id"]:
        return reverse(name, kwargs={"content_type_id": 1, "object_id": 1})
    return reverse(name, kwargs={k: "1" for k in keys})


def expectation(name):
    if name in EXPECT:
        return EXPECT[name]
    return NAMESPACE_RULES.get(name.split(":")[0]) if ":" in name else None


def outcome(response, *, api):
    """'ok' (the page), 'login' (sent to a login), 'denied' (403/404/405/401), 'error' (5xx), 'other'."""
    status = response.status_code
    if status == 503 and response.request["PATH_INFO"] == "/salud/":
        return "ok"  # /salud/ answers 503 naming the part that is down (no worker or monitor runs in tests)
    if status >= 500:
        return "error"
    if status in (301, 302) and ("/ingresar/" in response["Location"] or "/admin/login/" in response["Location"]):
        return "login"
    if status in (401, 403, 404, 405) or (api and status in (400, 422)):
        return "denied"
    if status < 400 or status in (400, 422):  # a form refused on its merits is a page the role may use
        return "ok"
    return "other"


class _Undo(Exception):
    pass


def outcome_of(send, client, api):
    """The outcome of one request, whose changes are rolled back (so each role meets the same records)."""
    from django.db import transaction

    try:
        with transaction.atomic():
            got = outcome(send(client), api=api)
            raise _Undo
    except _Undo:
        return got
    except Exception as exc:  # noqa: BLE001  (the test client re-raises a view's exception: a 500)
        return f"error: {type(exc).__name__}: {exc}"[:200]


@pytest.fixture
def samples(db, users):
    return Samples(users)


@pytest.mark.django_db
def test_every_url_pattern_answers_each_role_as_its_expectation_says_and_never_fails(client, client_for, samples):
    clients = {role: client_for(role) for role in ROLES}
    missing, failures, checked = [], [], 0
    for name, pattern, route in url_patterns():
        expect = expectation(name)
        if expect is None:
            missing.append(name)
            continue
        url = samples.url(name, pattern, route)
        api = url.startswith("/api/")
        send = (
            (lambda c, url=url: c.post(url, {}, content_type="application/json"))
            if api and expect.method == "POST"
            else (lambda c, url=url: c.post(url, {}))
            if expect.method == "POST"
            else (lambda c, url=url: c.get(url))
        )
        got = outcome_of(send, client, api)
        got = "ok" if expect.signs_out and got == "login" else got
        roles = clients if name != "logout" else {role: client_for(role) for role in ROLES}  # keep the others signed in
        wanted = ("ok",) if expect.public else ("denied", "login") if api else ("login",)  # API docs: the login
        if got not in wanted:
            failures.append(("anonymous", name, url, got))
        for role in ROLES:
            got = outcome_of(send, roles[role], api)
            got = "ok" if expect.signs_out and got == "login" else got
            checked += 1
            allowed = role in expect.ok
            wanted = ("ok",) if allowed else ("denied", "login") if name.startswith("admin:") else ("denied",)
            if allowed and expect.permissions_decide:
                wanted = ("ok", "denied")
            if api and expect.method == "POST":
                wanted = ("denied",)  # the empty body: 422 whoever sends it
            if got not in wanted:
                failures.append((role, name, url, got))
    assert missing == [], "URL patterns without an expectation: add them to EXPECT"
    assert checked > 1000
    assert failures == [], "\n".join(f"{who:20} {name:45} {url} -> {got}" for who, name, url, got in failures)


@pytest.mark.django_db
def test_every_page_speaks_spanish_to_every_role(client, client_for, samples):
    """Issue 13, item 1: every page each role may open (and the refusal each other role meets, and the API's
    answers), rendered in Spanish under a pseudo-locale that marks all that the catalogue translated: no visible
    text may be English, whether it went through the catalogue untranslated or never went through it at all."""
    from pseudo_locale import english_in, marked_translations

    clients = {"anonymous": client, **{role: client_for(role) for role in ROLES}}
    found, pages = {}, 0
    with marked_translations():
        for name, pattern, route in url_patterns():
            expect = expectation(name)
            if expect is None or expect.signs_out:
                continue
            url = samples.url(name, pattern, route)
            api = url.startswith("/api/")
            if name in ("api:openapi-json", "api:openapi-view"):
                continue  # the API's reference for programmers: its field names and schema titles are the contract
            if expect.method == "POST" and not api:
                continue  # an empty form sent to an action: its answer is a redirect or the same form's errors
            refused = next((r for r in ROLES if r not in expect.ok), None)
            who = [*(expect.ok & set(ROLES)), *([refused] if refused else []), "anonymous"]
            for role in sorted(who):
                response = _answer(clients[role], url, post=expect.method == "POST")
                pages += 1
                for problem in english_in(response):
                    found.setdefault(problem, f"{role} {url} ({response.status_code})")
    assert pages > 500
    assert found == {}, f"{len(found)} English texts:\n" + "\n".join(f"{where}: {p}" for p, where in found.items())


def _answer(client, url, *, post):
    from django.db import transaction

    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            if post:
                response = client.post(url, {}, content_type="application/json")
            else:
                response = client.get(url, HTTP_ACCEPT_LANGUAGE="es-EC")
            raise Undo
    except Undo:
        return response


def test_codes_mixing_letters_and_digits_are_the_records_not_english():
    """A certificate code drawn at random ("PAY9Q2Q9RK") once held an English word of the interface's vocabulary:
    codes are data, while an unmarked interface word beside them is still caught."""
    from pseudo_locale import english_parts, english_vocabulary

    assert "pay" in english_vocabulary()  # else this test proves nothing
    assert english_parts("PDF · PAY9Q2Q9RK") == []
    assert english_parts("PDF · PAY9Q2Q9RK · Pay") != []


# Parameters the site's lists, searches, filters and API lists read, each sent with a NUL character (issue 12: on
# PostgreSQL a NUL in a query raised DataError, a 500). A key with a NUL in its name too.
NUL_QUERY = (
    "?"
    + "&".join(
        f"{key}=a%00b"
        for key in (
            "q",
            "search",
            "status",
            "category",
            "parish",
            "barrio",
            "service_code",
            "service_request_id",
            "start_date",
            "end_date",
            "page",
            "page_size",
            "after",
            "api_key",
            "jurisdiction_id",
            "sort",
            "o",
            "kind",
            "year",
            "date_from",
            "date_to",
            "from",
            "to",
            "lon",
            "lat",
            "bbox",
            "next",
            "format",
            "source",
            "device",
            "institution",
        )
    )
    + "&x%00y=1"
)


def nul_url(name, pattern, samples):
    """The page's address with a NUL in each text path parameter (its sample value kept before it), then the query
    string above."""
    from django.urls.converters import StringConverter

    kwargs = dict(samples.kwargs.get(name, {}))
    for key, converter in pattern.pattern.converters.items():
        if isinstance(converter, StringConverter) and key in kwargs:
            kwargs[key] = f"{kwargs[key]}\x00"
    return reverse(name, kwargs=kwargs) + NUL_QUERY


@pytest.mark.django_db
def test_a_nul_character_anywhere_in_an_address_or_its_query_is_a_spanish_400_never_a_500(client_for, samples):
    """Every GET address of the site (pages and API), as the administrator (who may open them all), with a NUL in the
    query string and in its text path parameters: a 400 saying what is wrong, never PostgreSQL's DataError."""
    admin = client_for("admin")
    failures, checked = [], 0
    for name, pattern, _route in url_patterns():
        expect = expectation(name)
        if expect is None or expect.method != "GET" or name.startswith("admin:") or expect.signs_out:
            continue
        url = nul_url(name, pattern, samples)

        def send(c, url=url):
            return c.get(url)

        got = outcome_of(send, admin, url.startswith("/api/"))
        checked += 1
        if got.startswith("error"):
            failures.append((name, url, got))
            continue
        response = admin.get(url)
        if response.status_code != 400 or "NUL" not in response.content.decode():
            failures.append((name, url, response.status_code))
    assert checked > 100
    assert failures == [], "\n".join(f"{name:45} {url[:80]} -> {got}" for name, url, got in failures)
