"""The result page's own parts: a method's fragment (`Method.result_template`, the near-repeat's Knox table) is drawn
from the result kept on the job, cell by cell, and only on its own method's page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from centinela.jobs.models import Job

pytestmark = pytest.mark.django_db

KNOX = {
    "row_labels": ["0", "0-100"],
    "col_labels": ["0-7", "7+"],
    "observed": [[3, 0], [12, 5]],
    "expected": [[1.25, 0.5], [6.0, 5.0]],
    "ratio": [[2.4, 0.0], [2.0, None]],
    "p_value": [[0.01, 1.0], [0.049, 0.5]],
    "pairs": 20,
    "close_pairs": 20,
    "permutations": 99,
    "seed": 0,
    "same_location": 1,
    "metric": "manhattan",
}

KNOX_HTML = "\n".join(
    [
        "<h2>Tabla de repetición cercana</h2>",
        (
            "<p>Filas: distancia entre los dos incidentes (metros); columnas: días entre ellos. Cada celda: "
            "razón de Knox (pares observados sobre esperados), los pares observados y esperados, y el valor "
            "p; las celdas significativas (p ≤ 0,05) se marcan con un asterisco y un recuadro.</p>"
        ),
        '<div class="table-wrap"><table class="list knox-table">',
        "<thead><tr><th>Distancia (m) \\ días</th><th>0-7</th><th>7+</th></tr></thead>",
        "<tbody><tr><th>0</th>",
        (
            '<td class="knox-cell significant" data-bg="rgba(192, 57, 43, 0.68)" title="observados 3 · '
            'esperados 1,3 · p 0,010">'
        ),
        "<strong>2,40*</strong><br><small>3 / 1,3 · p 0,010</small></td>",
        '<td class="knox-cell" data-bg="rgba(36, 113, 163, 0.58)" title="observados 0 · esperados 0,5 · p 1,000">',
        "<strong>0,00</strong><br><small>0 / 0,5 · p 1,000</small></td></tr><tr><th>0-100</th>",
        (
            '<td class="knox-cell significant" data-bg="rgba(192, 57, 43, 0.68)" title="observados 12 · '
            'esperados 6,0 · p 0,049">'
        ),
        "<strong>2,00*</strong><br><small>12 / 6,0 · p 0,049</small></td>",
        '<td class="knox-cell" data-bg="#f4f6f6" title="observados 5 · esperados 5,0 · p 0,500">',
        "<strong>—</strong><br><small>5 / 5,0 · p 0,500</small></td></tr></tbody>",
        "</table></div>",
    ]
)


def _done(user, kind, result):
    empty = {"type": "FeatureCollection", "features": []}
    return Job.objects.create(
        kind=kind,
        params={},
        status=Job.Status.DONE,
        progress=1.0,
        created_by=user,
        finished_at=timezone.now(),
        result={"n": 30, "stats": {}, "table": {"header": [], "rows": []}, "geojson": empty, **result},
    )


def _page(client_for, users, kind, result):
    job = _done(users["directora"], kind, result)
    return client_for("directora").get(reverse("observatory:result", args=[job.pk])).content.decode()


def test_the_near_repeat_page_draws_its_knox_table_cell_by_cell(client_for, users):
    page = _page(client_for, users, "observatory.near_repeat", {"knox": KNOX})
    start = page.index("<h2>Tabla de repetición cercana</h2>")
    end = page.index("</table></div>", start) + len("</table></div>")
    assert page[start:end] == KNOX_HTML


def test_another_method_page_has_no_knox_table(client_for, users):
    page = _page(client_for, users, "observatory.kde", {})
    assert "knox-table" not in page and "Tabla de repetición cercana" not in page
