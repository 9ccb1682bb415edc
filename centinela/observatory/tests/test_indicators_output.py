"""The indicators page offers each role the parishes it did (code and name, in name order) and counts by the parish
chosen, now that it reads of a parish only its key, code and name."""

import pytest

from centinela.accounts.demo import DEMO_USERS
from centinela.accounts.permissions import scope
from centinela.territory.models import Parish

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", [u for u, *_ in DEMO_USERS])
def test_parish_choices_and_a_chosen_parish(client_for, users, username):
    client = client_for(username)
    user = users[username]
    response = client.get("/observatorio/indicadores/")
    if response.status_code == 403:
        return
    form = response.context["form"]
    parishes = [(p.code, p.name) for p in scope(user, Parish.objects.all()).order_by("name")]
    choices = [c for c in form.fields["parish"].choices if c[0]]
    assert choices == parishes
    code = parishes[0][0]
    chosen = client.get("/observatorio/indicadores/", {"parish": code, "by": "barrio"})
    assert chosen.context["form"].is_valid()
    assert chosen.context["form"].cleaned_data["parish_obj"].pk == Parish.objects.get(code=code).pk
