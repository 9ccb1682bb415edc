"""Every page, for every role and for anonymous visitors: no server error anywhere; anonymous visitors are sent to
the login except on the public pages; pages with an id are tried with a record of the demo year. What each role
may do is tested per area; this test guards the whole surface (issue 2: enforced on every view, tested per role)."""
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from centinela.activities.demo import load_demo_year_2020

ROLES = ["admin", "directora", "tecnico", "enlace.policia", "enlace.ecu911", "presidente.sagrario", "presidente.valle"]
PUBLIC = {"login", "password_reset", "password_reset_done", "password_reset_complete", "health", "set_language",
          "activities:training_verify", "activities:training_verify_code", "activities:training_checkin",
          "password_reset_confirm",
          "opendata:index"}
SKIP_NAMESPACES = {"admin", "api"}


def named_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace in SKIP_NAMESPACES:
                continue
            yield from named_patterns(p, f"{prefix}{p.namespace}:" if p.namespace else prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name, p


def sample_args(pattern):
    """Arguments for a pattern, taken from the demo records, or None when no sensible record exists."""
    from centinela.activities.models import Activity, Attendance, CouncilSession, Plan, Programme, Training, WorkingGroup
    from centinela.partners.models import Agreement, Institution
    from centinela.territory.models import Barrio, Parish, Place

    keys = list(pattern.pattern.converters)
    if not keys:
        return []
    path = str(pattern.pattern)
    samples = {
        "capacitaciones/certificado": lambda: Attendance.objects.exclude(certificate_code=None).first(),
        "capacitaciones": lambda: Training.objects.first(),
        "planes": lambda: Plan.objects.first(),
        "programas": lambda: Programme.objects.first(),
        "grupos": lambda: WorkingGroup.objects.first(),
        "concejo": lambda: CouncilSession.objects.first(),
        "convenios": lambda: Agreement.objects.first(),
        "instituciones": lambda: Institution.objects.first(),
        "parroquias": lambda: Parish.objects.get(code="110101"),
        "barrios": lambda: Barrio.objects.first(),
        "lugares": lambda: Place.objects.first(),
        "perfiles": lambda: _incident_profile(),  # incidents' import profiles
        "": lambda: Activity.objects.filter(parish__code="110101").first(),
    }
    if keys != ["pk"]:
        return None
    for prefix, get in samples.items():
        if path.startswith(prefix) or f"/{prefix}" in path or prefix == "":
            obj = get()
            return [obj.pk] if obj else None
    return None


def _incident_profile():
    from centinela.incidents.services import save_profile

    return save_profile("Todas las páginas", "ecu911", {"occurred_at": "Fecha", "category": "Servicio", "lon": "X",
                                                        "lat": "Y"})


@pytest.fixture
def demo(db):
    load_demo_year_2020()  # inside the test's transaction: rolled back afterwards


@pytest.mark.django_db
def test_no_page_fails_for_any_role_and_anonymous_visitors_meet_the_login(client, client_for, demo):
    failures = []
    checked = 0
    for name, pattern in named_patterns():
        args = sample_args(pattern)
        if args is None:
            continue
        url = reverse(name, args=args)
        response = client.get(url)
        if name not in PUBLIC and not (response.status_code == 302 and "/cuenta/ingresar/" in response["Location"]):
            failures.append(("anonymous", url, response.status_code))
        for role in ROLES:
            status = client_for(role).get(url).status_code
            checked += 1
            if status >= 500 and not (name == "health" and status == 503):  # /salud/'s 503 is an answer
                failures.append((role, url, status))
    assert checked > 300
    assert failures == []
