"""Reading the incident registry, always through the one permission check."""
from centinela.accounts.permissions import scope
from centinela.incidents.models import Category, Incident


def incidents_for(user):
    return scope(user, Incident.objects.select_related("category", "source", "parish", "barrio"))


def active_categories():
    return Category.objects.filter(active=True)


# The demo's incidents are synthetic (generated, see centinela/incidents/demo.py): they come from this source, and
# every page that shows incident figures says so when any are present.
SYNTHETIC_SOURCE = "sintetico"


def synthetic_present() -> bool:
    return Incident.objects.filter(source__code=SYNTHETIC_SOURCE).exists()
