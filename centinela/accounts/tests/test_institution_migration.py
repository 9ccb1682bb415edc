"""accounts 0002/0003: a user's institution, once a kind among six choices, becomes a partners.Institution. Each old
value finds the institution it named (by short name or name) or one is made for it; going back gives the kinds again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0001_initial")]
AFTER = [("accounts", "0003_remove_user_old_institution")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    # the models as the other apps' latest migrations and this target leave them
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "accounts"]
    return executor.loader.project_state(others + targets).apps


@pytest.mark.django_db(transaction=True)
def test_old_choices_become_institutions_and_come_back(reference_data):
    try:
        apps = _migrate(BEFORE)
        User, Institution = apps.get_model("accounts", "User"), apps.get_model("partners", "Institution")
        Parish = apps.get_model("territory", "Parish")
        police = Institution.objects.create(name="Policía Nacional", short_name="Policía", kind="public")
        sagrario = Parish.objects.get(code="110101")
        for username, value, parish, role in [
            ("m.policia", "police", None, "liaison"),
            ("m.ecu", "ecu911", None, "liaison"),
            ("m.junta", "parish", sagrario, "liaison"),
            ("m.otra", "other", None, "liaison"),
            ("m.nada", "", None, "technician"),
            ("m.presidente", "parish", sagrario, "parish_president"),
        ]:
            User.objects.create(username=username, institution=value, parish=parish, role=role)

        apps = _migrate(AFTER)
        User = apps.get_model("accounts", "User")
        got = {
            u.username: (u.institution.name if u.institution_id else None)
            for u in User.objects.filter(username__startswith="m.").select_related("institution")
        }
        assert got == {
            "m.policia": "Policía Nacional",
            "m.ecu": "SIS ECU 911",
            "m.junta": f"GAD parroquial {sagrario.name}",
            "m.otra": "Otra institución",
            "m.nada": None,
            "m.presidente": None,
        }  # a parish president's council is their role and parish
        assert User.objects.get(username="m.policia").institution_id == police.pk  # found, not duplicated

        apps = _migrate(BEFORE)
        User = apps.get_model("accounts", "User")
        assert dict(User.objects.filter(username__startswith="m.").values_list("username", "institution")) == {
            "m.policia": "police",
            "m.ecu": "ecu911",
            "m.junta": "parish",
            "m.otra": "other",
            "m.nada": "",
            "m.presidente": "parish",
        }
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
