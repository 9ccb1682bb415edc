"""Reading the incident registry, always through the one permission check."""
from centinela.accounts.permissions import scope
from centinela.incidents.models import Category, Incident


def incidents_for(user):
    return scope(user, Incident.objects.select_related("category", "source", "parish", "barrio"))


def active_categories():
    return Category.objects.filter(active=True)
