"""Reading the incident registry, always through the one permission check."""
from django.db.models import F

from centinela.accounts.models import Role
from centinela.accounts.permissions import scope
from centinela.incidents.models import Category, ImportProfile, Incident, Source


def incidents_for(user):
    # an incident shows its parish's and barrio's names, never their boundaries: not parsed for every row
    return scope(user, Incident.objects.select_related("category", "source", "parish", "barrio")
                 .defer("parish__geometry", "barrio__geometry"))


def incident_rows_for(user):
    """The incident list's rows (page and export): the names and codes of an incident's category, source, parish
    and barrio read as columns of its own row, not as four model instances more per row (most of the list's
    instances, issue 10); incidents.columns reads them."""
    return incident_rows(listed_incidents(user))


def listed_incidents(user):
    """The incidents the list counts and filters (its rows add incident_rows)."""
    return scope(user, Incident.objects.all())


def incident_rows(queryset):
    """What the list's rows read beyond an incident's own columns (lib.views.list_view applies it to the page and
    exports only: the count of records joins nothing)."""
    return queryset.annotate(
        category_code=F("category__code"), category_name=F("category__name"), category_group=F("category__group"),
        source_code=F("source__code"), source_name=F("source__name"), parish_name=F("parish__name"),
        barrio_name=F("barrio__name"),
    )


def active_categories():
    return Category.objects.filter(active=True)


def profiles_for(user):
    return scope(user, ImportProfile.objects.select_related("source"))


def sources():
    return Source.objects.all()


def sees_exact_location(user) -> bool:
    """The exact point and address of an incident: the council's staff and the institutions that respond to it
    (Policía, ECU 911). Parish presidents see the parish and barrio, not where in them it happened."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.role in {Role.ADMIN, Role.DIRECTOR, Role.TECHNICIAN, Role.LIAISON}


# The demo's incidents are synthetic (generated, see centinela/incidents/demo.py): they come from this source, and
# every page that shows incident figures says so when any are present.
SYNTHETIC_SOURCE = "sintetico"


def synthetic_present() -> bool:
    return Incident.objects.filter(source__code=SYNTHETIC_SOURCE).exists()
