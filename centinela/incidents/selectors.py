"""Reading the incident registry, always through the one permission check."""

from django.db.models import Count, F

from centinela.accounts.models import Role
from centinela.accounts.permissions import scope
from centinela.incidents.models import Category, ImportProfile, Incident, Source
from centinela.lib.urls import reverse
from centinela.territory.geometry import point_feature


def incidents_for(user):
    # an incident shows its parish's and barrio's names, never their boundaries: not parsed for every row
    return scope(
        user,
        Incident.objects.select_related("category", "source", "parish", "barrio").defer(
            "parish__geometry", "barrio__geometry"
        ),
    )


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
        category_code=F("category__code"),
        category_name=F("category__name"),
        category_group=F("category__group"),
        source_code=F("source__code"),
        source_name=F("source__name"),
        parish_name=F("parish__name"),
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


# The incident list's map: at most this many points (the latest); beyond it the map says how many it leaves out.
MAP_LIMIT = 1000


def incident_map_features(user, queryset) -> tuple[list[dict], int]:
    """The list's filtered incidents as map features, masked as the incident's page masks them: those who see exact
    points get one point per incident (the latest MAP_LIMIT); the others (parish presidents) get counts at the
    centre of each barrio, or of the parish when no barrio was assigned, never a point of their own."""
    total = queryset.count()
    if sees_exact_location(user):
        mark = "987654321987"  # the detail URL reversed once, each row's key put in the place of this one
        url = reverse("incidents:incident_detail", args=[int(mark)])
        rows = queryset.order_by("-occurred_at").values_list(
            "pk", "lon", "lat", "occurred_at", "category__name", "parish__name"
        )[:MAP_LIMIT]
        return [
            point_feature(
                lon,
                lat,
                {
                    "id": pk,
                    "url": url.replace(mark, str(pk)),
                    "name": name,
                    "date": f"{when:%Y-%m-%d}",
                    "parish": parish,
                },
            )
            for pk, lon, lat, when, name, parish in rows
            if lon is not None and lat is not None
        ], total
    features = []
    by_area = (
        queryset.values(
            "barrio__name",
            "barrio__centre_lon",
            "barrio__centre_lat",
            "parish__name",
            "parish__centre_lon",
            "parish__centre_lat",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in by_area:
        lon, lat = row["barrio__centre_lon"], row["barrio__centre_lat"]
        if lon is None or lat is None:
            lon, lat = row["parish__centre_lon"], row["parish__centre_lat"]
        if lon is None or lat is None:
            continue
        name = row["barrio__name"] or row["parish__name"]
        features.append(point_feature(lon, lat, {"name": name, "count": row["n"], "parish": row["parish__name"]}))
    return features, total
