"""territory 0003: the figures an earlier gazetteer took from an encyclopaedia are kept with their values, marked
unverified (shown, never used for a rate); an upgrade loses no population row. Going back makes them census again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("territory", "0002_street_segments")]
AFTER = [("territory", "0003_population_kind_source_barrios")]
WIKIPEDIA = "German Wikipedia article on the parish (census 2010), as collected 2026-11-25"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "territory"]
    return executor.loader.project_state(others + targets).apps


@pytest.mark.django_db(transaction=True)
def test_encyclopaedia_figures_are_kept_and_marked_unverified(reference_data):
    try:
        apps = _migrate(BEFORE)
        Parish, Population = apps.get_model("territory", "Parish"), apps.get_model("territory", "ParishPopulation")
        Population.objects.all().delete()
        cisne, sagrario = Parish.objects.get(code="110153"), Parish.objects.get(code="110101")
        Population.objects.create(parish=cisne, census_year=2010, population=1628, source=WIKIPEDIA)
        Population.objects.create(parish=cisne, census_year=2022, population=1519, source="INEC, Censo 2022")
        Population.objects.create(parish=sagrario, census_year=2010, population=30000, source=WIKIPEDIA)

        apps = _migrate(AFTER)
        Population = apps.get_model("territory", "ParishPopulation")
        got = sorted(Population.objects.values_list("parish__code", "year", "population", "kind"))
        assert got == [
            ("110101", 2010, 30000, "unverified"),
            ("110153", 2010, 1628, "unverified"),
            ("110153", 2022, 1519, "census"),
        ]

        apps = _migrate(BEFORE)
        Population = apps.get_model("territory", "ParishPopulation")
        assert Population.objects.count() == 3
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
