import pytest

from centinela.partners.tests import factories as f


@pytest.fixture
def police(db):
    return f.institution("Policía Nacional", "public", council=True, short_name="PN")


@pytest.fixture
def bank(db):
    return f.institution("Banco de Loja", "financial")
