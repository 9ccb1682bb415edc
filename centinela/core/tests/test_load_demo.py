from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_load_demo_command_prints_the_year(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = StringIO()
    call_command("load_demo", "--quiet-users", stdout=out)
    call_command("load_demo", "--quiet-users", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.startswith("Año 2020")]
    assert len(lines) == 2 and lines[0] == lines[1] and "39 actividades" in lines[0]
