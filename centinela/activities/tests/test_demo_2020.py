"""The demo year records the council's 2020 account (shared/seed) and loading it again duplicates nothing."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.db.models import Sum

from centinela.activities.cedula import cedula_is_valid
from centinela.activities.demo import load_demo_year_2020
from centinela.activities.models import (
    Activity,
    ActivityPartner,
    Evidence,
    Operation,
    Person,
    Placement,
    Plan,
    Programme,
    WorkingGroup,
)
from centinela.partners.models import Agreement, Institution
from centinela.reports.tests.demo_db import demo_year_loaded
from centinela.territory.models import Parish

pytestmark = pytest.mark.django_db

COUNTED = ["activities", "partners", "territory"]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    with demo_year_loaded(django_db_blocker, tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture
def year(loaded, db):
    return Plan.objects.get(name="Plan Cantonal de Seguridad Ciudadana 2020")


def _counts():
    return {m._meta.label: m.objects.count() for label in COUNTED for m in apps.get_app_config(label).get_models()}


def test_loading_twice_duplicates_nothing(year):
    first = _counts()
    assert first["activities.Activity"] == 39
    load_demo_year_2020()
    assert _counts() == first


def test_plan_holds_the_purpose_and_the_six_programmes(year):
    assert str(year.starts_on) == "2020-01-01" and str(year.ends_on) == "2020-12-31"
    assert "organismo público vinculado al Ilustre Municipio de Loja" in year.purpose
    kinds = set(year.programmes.values_list("kind", flat=True))
    assert kinds == {"training", "surveillance", "operations", "campaign", "education", "agreement"}
    training = year.programmes.get(kind="training")
    targets = training.indicators.get(metric="trainings_held").targets
    assert targets.filter(parish=None).get().target == 6
    assert set(targets.exclude(parish=None).values_list("parish__kind", flat=True)) == {"urban"}
    assert targets.exclude(parish=None).count() == 6


def test_every_2020_activity_is_done_inside_the_plan(year):
    activities = Activity.objects.filter(programme__plan=year)
    assert activities.exclude(status="done").count() == 0
    assert all(a.starts_at.year == 2020 for a in activities)


def test_trainings_in_the_six_urban_parishes_at_the_salon_with_police_and_firefighters(year):
    trainings = Activity.objects.filter(programme__plan=year, programme__kind=Programme.Kind.TRAINING, kind="training")
    assert sorted(trainings.values_list("parish__code", flat=True)) == sorted(
        Parish.objects.filter(kind="urban").values_list("code", flat=True)
    )
    assert set(trainings.values_list("place__name", flat=True)) == {"Salón de los Alcaldes (Municipio de Loja)"}
    for activity in trainings:
        roles = set(activity.training.attendances.values_list("role", flat=True))
        assert {"parish_president", "resident", "police", "firefighter"} <= roles
        # the police officers and firefighters came to inform the attendees, not to be trained (the account)
        support = activity.training.attendances.filter(participation="support")
        assert set(support.values_list("role", flat=True)) == {"police", "firefighter"}
        assert not activity.training.attendances.trained().filter(role__in=["police", "firefighter"]).exists()
        speakers = set(activity.training.speakers.values_list("institution__name", flat=True))
        assert speakers == {"Policía Nacional", "Cuerpo de Bomberos de Loja"}


def test_people_are_invented_with_valid_cedulas_and_consent(year):
    people = Person.objects.all()
    assert people.count() >= 130
    assert all(cedula_is_valid(p.cedula) for p in people)
    assert all(p.cedula.startswith("115999") for p in people)  # the block no real person holds yet
    assert not people.filter(consent=False).exists()


def test_eleven_free_fumigations_with_quaternary_ammonium(year):
    ops = Operation.objects.filter(activity__programme__plan=year, operation_type__name="Fumigación", stage="done")
    assert ops.count() == 11
    assert set(ops.values_list("product", flat=True)) == {"amonio cuaternario"}
    places = set(ops.values_list("activity__place__name", flat=True))
    assert {
        "Teatro Bolívar",
        "Museo Matilde Hidalgo de Procel",
        "Hogar San Camilo de Lellis",
        "Clínica Municipal Julia Esther González Delgado",
        "Centro de acopio de víveres",
    } <= places
    assert ops.filter(activity__place=None, activity__barrios__isnull=False).count() == 6
    assert not ops.exclude(activity__budget_executed=0).exists()
    donor = Institution.objects.get(name="Servicios Fitosanitarios del Sur (ficticia)")
    gifts = ActivityPartner.objects.filter(activity__operation__in=ops, institution=donor, role="donor")
    assert gifts.count() == 11 and not gifts.filter(in_kind_value__lte=0).exists()


def test_yo_aprendo_seguridad_group_with_security_actors_and_meetings(year):
    group = WorkingGroup.objects.get(name__icontains="Yo Aprendo Seguridad")
    members = set(group.members.values_list("institution__name", flat=True))
    assert {"Policía Nacional", "Cuerpo de Bomberos de Loja", "SIS ECU 911"} <= members
    assert group.meetings.filter(kind="meeting", status="done").count() == 3


def test_banners_at_the_banks_and_municipal_collection_offices(year):
    placements = Placement.objects.filter(campaign__activity__programme__plan=year, material__kind="banner")
    partners = set(placements.values_list("partner__name", flat=True))
    assert partners == {
        "Banco de Guayaquil",
        "Banco Pichincha",
        "Banco de Loja",
        "Dependencias de cobranzas municipales (Municipio de Loja)",
    }
    assert all(p.installed_on.year == 2020 for p in placements)


def test_agreement_with_ecu911_and_the_training_of_its_operating_staff(year):
    agreement = Agreement.objects.get(counterpart__name="SIS ECU 911")
    assert set(agreement.obligations.values_list("party", flat=True)) == {"council", "counterpart"}
    trained = Activity.objects.get(kind="training", obligations__agreement=agreement, obligations__party="council")
    assert "personal operativo" in trained.title
    assert trained.training.attendances.filter(institution__name="SIS ECU 911").count() >= 10


def test_cameras_reactivated_extended_and_in_the_three_markets(year):
    surveillance = Activity.objects.filter(programme__plan=year, programme__kind="surveillance", kind="other")
    assert surveillance.filter(title__startswith="Reactivación de sistemas de videovigilancia").count() == 12
    extended = set(surveillance.filter(title__startswith="Ampliación").values_list("place__name", flat=True))
    assert extended == {"Centro de Revisión Vehicular", "Puerto Seco Comercial"}
    assert surveillance.filter(place__kind="market").count() == 3


def test_council_sessions_with_resolutions_and_photos(year):
    from centinela.activities.models import CouncilSession

    sessions = CouncilSession.objects.filter(held_at__year=2020)
    assert sessions.count() >= 2 and all(s.resolutions.exists() for s in sessions)
    photos = Evidence.objects.filter(include_in_report=True, kind="photo")
    assert photos.count() >= 2 and all(p.file.storage.exists(p.file.name) for p in photos)


def test_budgets_are_plausible(year):
    totals = Activity.objects.filter(programme__plan=year).aggregate(p=Sum("budget_planned"), e=Sum("budget_executed"))
    assert Decimal(0) < totals["e"] <= totals["p"]


def test_the_photos_font_draws_the_spanish_letters():
    """Each accented letter of the photos' captions is drawn as itself, not as the font's box for a missing glyph."""
    from PIL import Image, ImageDraw

    from centinela.activities.demo import photo_font

    font = photo_font(26)

    def drawn(letter):
        image = Image.new("L", (40, 40))
        ImageDraw.Draw(image).text((5, 2), letter, fill=255, font=font)
        return image.tobytes()

    missing = drawn("\uffff")
    for letter in "áéíóúñÁÉÍÓÚÑü":
        assert drawn(letter) != missing, letter
