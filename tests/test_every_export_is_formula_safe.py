"""Every CSV and XLSX download Centinela offers (every list's export formats, every URL named *export* or
*download*, the tables of the indicator and open-data pages, the ECU 911 hand-over files) is walked with the demo
year in the database and the people's, places' and institutions' texts renamed to a formula: no cell may start with
a character a spreadsheet runs as a formula (OWASP CSV injection), while negative numbers stay numbers."""

import csv
import html
import io
import re

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from centinela.lib.tables import FORMULA_STARTS

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","y")'
EXPORT_LINK = re.compile(r'href="([^"]*(?:export=|descargar\.(?:csv|xlsx))[^"]*)"')
HUMAN_TEXT = {
    "name",
    "title",
    "description",
    "address",
    "notes",
    "first_name",
    "last_name",
    "full_name",
    "owner",
    "monitored_by",
    "reason",
    "objectives",
    "summary",
    "label",
    "seat",
    "last_detail",
    "institution",
    "position",
    "role_title",
    "topic",
    "outcome",
    "comment",
    "counterpart",
    "subject",
    "place_name",
    "responsible",
}


def _formula_everywhere():
    """Every human-written text field of every Centinela model set to the formula (unique ones get the row's id
    appended: still a formula). Returns how many rows were changed."""
    changed = 0
    for model in apps.get_app_configs():
        if not model.name.startswith("centinela."):
            continue
        for cls in model.get_models():
            fields = [
                f
                for f in cls._meta.concrete_fields
                if isinstance(f, (models.CharField, models.TextField))
                and f.name in HUMAN_TEXT
                and not f.choices
                and not isinstance(f, (models.URLField, models.EmailField))
            ]
            if not fields:
                continue
            for pk in cls.objects.values_list("pk", flat=True):
                values = {}
                for f in fields:
                    text = f"{FORMULA} {pk}"
                    values[f.name] = text[: f.max_length] if f.max_length else text
                try:
                    with transaction.atomic():
                        cls.objects.filter(pk=pk).update(**values)
                    changed += 1
                except IntegrityError:
                    pass
    return changed


@pytest.fixture
def formula_year(db):
    from centinela.activities.demo import load_demo_year_2020
    from centinela.cameras.demo import load_demo_cameras
    from centinela.observatory.tests.seed import seed_incidents
    from centinela.participation.committees.demo import load_demo_committees

    load_demo_year_2020()
    load_demo_cameras()
    load_demo_committees()
    seed_incidents(120)
    assert _formula_everywhere() > 100


def _routes(resolver=None, prefix="", namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, pattern


def _cells(response) -> list[tuple[str, object]]:
    """(where, value) of every cell of a CSV or XLSX response; [] for anything else."""
    kind = response.get("Content-Type", "")
    body = response.getvalue()
    if kind.startswith("text/csv"):
        reader = csv.reader(io.StringIO(body.decode("utf-8-sig")))
        return [(f"row {r} col {c}", v) for r, row in enumerate(reader, 1) for c, v in enumerate(row, 1)]
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body))
        return [
            (f"{sheet.title}!{cell.coordinate}", cell.value)
            for sheet in book
            for row in sheet.iter_rows()
            for cell in row
        ]
    return []


def _number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return text.strip() == text  # " -1" is no plain number


def _unsafe(cells):
    """Cells a spreadsheet would run as a formula: text starting with = + - @ tab or CR that is not a plain number
    (a CSV carries every number as text: "-3.99" is a number, read as one)."""
    return [(where, v) for where, v in cells if isinstance(v, str) and v.startswith(FORMULA_STARTS) and not _number(v)]


def _downloads(client):
    """Every (url, cells) that is a CSV or XLSX download: the list pages' ?export=, the pages with export
    tables, and every URL pattern named *export* or *download* with its arguments filled from the database."""
    from centinela.activities.models import Training
    from centinela.jobs.models import Job

    found = []
    for name, pattern in _routes():
        keys = set(pattern.pattern.regex.groupindex)
        urls = []
        pages = []
        if not keys:  # a page: its own export links (every format and table it offers), and ?export= anyway
            pages = [reverse(name)]
        elif keys == {"pk"} and name == "observatory:result":
            pages = [reverse(name, args=[job.pk]) for job in Job.objects.filter(status="done")]
        elif keys == {"pk"} and name == "activities:training_detail":
            pages = [reverse(name, args=[t.pk]) for t in Training.objects.all()[:3]]
        elif keys == {"fmt"} and ("export" in name or "download" in name):
            urls = [reverse(name, args=[fmt]) for fmt in ("csv", "xlsx")]
        elif keys == {"pk", "fmt"} and ("export" in name or "download" in name):
            urls = [
                reverse(name, args=[job.pk, fmt])
                for job in Job.objects.filter(status="done")
                for fmt in ("csv", "xlsx")
            ]
        for base in pages:
            urls += [f"{base}?export={fmt}" for fmt in ("csv", "xlsx")]
            page = client.get(base)
            if page.status_code == 200 and "text/html" in page.get("Content-Type", ""):
                for href in EXPORT_LINK.findall(page.content.decode()):
                    href = html.unescape(href)
                    urls.append(base + href if href.startswith("?") else href)
        for url in dict.fromkeys(urls):
            response = client.get(url)
            cells = _cells(response) if response.status_code == 200 else []  # a streamed body is read once
            if cells:
                found.append((url, cells))
    return found


def test_no_export_cell_starts_with_a_formula_character(formula_year, client_for):
    from centinela.observatory.tests.conftest import FORMS, run

    admin = client_for("tecnico")
    for method in ("coverage", "gistar"):
        job = run(admin, method, FORMS[method])
        assert job.status == "done", job.error
    downloads = _downloads(admin) + _downloads(client_for("admin"))
    names = {url.split("?")[0] for url, _cells in downloads}
    # the walk really reached the lists, the tables and the named downloads
    for must in (
        reverse("territory:place_list"),
        reverse("activities:activity_list"),
        reverse("partners:institution_list"),
        reverse("cameras:device_list"),
        reverse("cameras:ecu911_export", args=["csv"]),
        reverse("incidents:incident_list"),
    ):
        assert must in names, (must, sorted(names))
    assert any("/descargar." in n for n in names) and any("table=" in u for u, _r in downloads)
    formulas = 0
    for url, cells in downloads:
        assert not _unsafe(cells), (url, _unsafe(cells)[:5])
        formulas += sum(1 for _w, v in cells if isinstance(v, str) and v.startswith("'="))
    assert formulas > 50  # the renamed records were exported (escaped), not missing


def test_the_ecu911_hand_over_files_are_formula_safe(formula_year, tmp_path):
    from centinela.accounts.models import User
    from centinela.cameras import ecu911, selectors

    devices = list(selectors.ecu911_devices(User.objects.get(username="tecnico")))
    csv_path, _geo = ecu911.FileExportLink(tmp_path).push_inventory(devices)
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    cells = [(f"{r}:{c}", v) for r, row in enumerate(rows) for c, v in enumerate(row)]
    assert len(rows) == len(devices) + 1 and not _unsafe(cells)
    assert any(v.startswith("'=HYPERLINK") for _w, v in cells)


def test_negative_numbers_stay_numbers_and_formula_text_is_escaped():
    from openpyxl import load_workbook

    from centinela.lib.exports import table_response

    body = [[-3, "-4,5", "-1+2", "@SUM(A1)", "\tx", "\rx", "+5", "-", "=1", -2.5]]
    text = table_response(["a"] * 10, body, "csv", "t").getvalue().decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1] == [
        "-3",
        "-4,5",
        "'-1+2",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "+5",
        "'-",
        "'=1",
        "-2.5",
    ]
    sheet = load_workbook(io.BytesIO(table_response(["a"] * 10, body, "xlsx", "t").getvalue())).active
    values = [c.value for c in next(sheet.iter_rows(min_row=2))]
    assert values[0] == -3 and values[-1] == -2.5 and values[3] == "'@SUM(A1)"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
