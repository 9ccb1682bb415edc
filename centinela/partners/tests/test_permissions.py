"""Who may do what with partners, per role. Institutions and agreements belong to no parish: staff edit,
liaisons read, parish presidents see neither (as accounts.permissions stands; see partners.selectors on
institutions)."""

import pytest
from django.urls import reverse

from centinela.partners.models import Agreement, Institution
from centinela.partners.tests import factories as f

pytestmark = pytest.mark.django_db

STAFF = ["admin", "directora", "tecnico"]
LIAISONS = ["enlace.policia", "enlace.ecu911"]
PRESIDENTS = ["presidente.sagrario", "presidente.valle"]


@pytest.fixture
def records(police):
    agreement = f.agreement("CONV-PERM", police)
    contact = f.contact(police)
    return {"institution": police, "agreement": agreement, "contact": contact}


def pages(records):
    i, a, c = records["institution"].pk, records["agreement"].pk, records["contact"].pk
    return {
        "read": [
            reverse("partners:institution_list"),
            reverse("partners:institution_detail", args=[i]),
            reverse("partners:agreement_list"),
            reverse("partners:agreement_detail", args=[a]),
            reverse("partners:in_kind_summary"),
            reverse("partners:institution_list") + "?export=csv",
            reverse("partners:agreement_list") + "?export=xlsx",
        ],
        "write": [
            reverse("partners:institution_create"),
            reverse("partners:institution_edit", args=[i]),
            reverse("partners:contact_create", args=[i]),
            reverse("partners:contact_edit", args=[c]),
            reverse("partners:agreement_create"),
            reverse("partners:agreement_edit", args=[a]),
            reverse("partners:obligation_create", args=[a]),
            reverse("partners:participation_create", args=[i]),
        ],
    }


@pytest.mark.parametrize("username", STAFF)
def test_staff_read_and_edit(client_for, records, username):
    c = client_for(username)
    for url in pages(records)["read"] + pages(records)["write"]:
        assert c.get(url).status_code == 200, url
    page = c.get(reverse("partners:agreement_detail", args=[records["agreement"].pk])).content.decode()
    assert reverse("partners:agreement_edit", args=[records["agreement"].pk]) in page


@pytest.mark.parametrize("username", LIAISONS)
def test_liaisons_only_read(client_for, records, username):
    c = client_for(username)
    for url in pages(records)["read"]:
        assert c.get(url).status_code == 200, url
    for url in pages(records)["write"]:
        assert c.get(url).status_code == 403, url
    response = c.post(
        reverse("partners:institution_edit", args=[records["institution"].pk]), {"name": "Otro", "kind": "private"}
    )
    assert (
        response.status_code == 403 and Institution.objects.get(pk=records["institution"].pk).name == "Policía Nacional"
    )
    page = c.get(reverse("partners:agreement_detail", args=[records["agreement"].pk])).content.decode()
    assert reverse("partners:agreement_edit", args=[records["agreement"].pk]) not in page


@pytest.mark.parametrize("username", PRESIDENTS)
def test_parish_presidents_read_institutions_but_see_no_agreements(client_for, records, username):
    c = client_for(username)
    i, a = records["institution"].pk, records["agreement"].pk
    # the directory of institutions is shared with every role, read-only
    for url in [
        reverse("partners:institution_list"),
        reverse("partners:in_kind_summary"),
        reverse("partners:institution_detail", args=[i]),
    ]:
        assert c.get(url).status_code == 200, url
    for url in [
        reverse("partners:agreement_list"),
        reverse("partners:agreement_list") + "?export=csv",
        reverse("partners:institution_create"),
        reverse("partners:agreement_create"),
    ]:
        assert c.get(url).status_code == 403, url
    # a record they may not see answers 404: its existence is not disclosed
    for url in [
        reverse("partners:agreement_detail", args=[a]),
        reverse("partners:agreement_edit", args=[a]),
        reverse("partners:obligation_create", args=[a]),
    ]:
        assert c.get(url).status_code == 404, url
    c.post(reverse("partners:agreement_edit", args=[a]), {"code": "X"})
    assert Agreement.objects.get(pk=a).code == "CONV-PERM"
