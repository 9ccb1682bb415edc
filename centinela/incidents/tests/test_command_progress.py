"""import_incidents shows its progress: an in-place bar on a terminal, a line per tenth elsewhere (logs)."""

import io

from django.core.management import call_command

from centinela.incidents.management.commands.import_incidents import ProgressBar
from centinela.incidents.models import Incident

from .conftest import write_csv
from .test_import import rows_for


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_terminal_gets_one_bar_redrawn_in_place():
    out = Terminal()
    bar = ProgressBar(out, tty=True)
    bar(0.0, "Leyendo el archivo")
    bar(0.5, "500 de 1.000 filas")  # within 0.1 s of the last redraw: skipped
    bar(1.0, "1.000 de 1.000 filas")
    bar.close()
    text = out.getvalue()
    assert text.count("\r") == 2 and "\n" not in text[:-1] and text.endswith("\n")
    assert "[" + "#" * 30 + "] 100% 1.000 de 1.000 filas" in text


def test_elsewhere_a_line_each_tenth_and_the_import_reports_rows(tmp_path, points, ecu911_profile):
    err = io.StringIO()
    call_command(
        "import_incidents",
        str(write_csv(tmp_path / "f.csv", rows_for(points))),
        profile="ECU 911 export",
        stdout=io.StringIO(),
        stderr=err,
    )
    lines = err.getvalue().splitlines()
    assert lines[0].strip() == "0% Leyendo el archivo" and lines[-1].strip() == "100% 3 de 3 filas"
    assert "\r" not in err.getvalue() and Incident.objects.count() == 3
