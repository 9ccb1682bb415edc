from centinela.incidents.models import Category, Source
from centinela.incidents.taxonomy import CATEGORIES


def test_the_shipped_taxonomy_is_present_after_migrate(db):
    assert Category.objects.filter(group="dmcs").count() == 8
    assert Category.objects.filter(group="ecu911_service").count() == 7
    assert Category.objects.filter(group="contravention").count() == 1
    assert Category.objects.filter(group="violence_gender_family").count() == 1
    assert set(Category.objects.values_list("code", flat=True)) >= {c for c, _, _ in CATEGORIES}
    assert Category.objects.get(code="robo-ejes-viales").name == "Robo en ejes viales"


def test_the_sources_are_present_after_migrate(db):
    assert set(Source.objects.values_list("code", flat=True)) >= {
        "ecu911",
        "policia",
        "fiscalia",
        "consejo",
        "ciudadania",
    }


def test_incidents_keep_no_victim_personal_data():
    from centinela.incidents.models import Incident

    names = {f.name for f in Incident._meta.get_fields()}
    assert not names & {"victim", "victim_name", "cedula", "phone", "age", "sex", "name"}
