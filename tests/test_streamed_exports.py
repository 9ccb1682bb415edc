"""Large exports are streamed through the one export helper: a CSV is sent row by row (memory bounded whatever the
number of rows: the whole file never sits in memory), an XLSX is written in openpyxl's write-only mode to a
temporary file and sent from it, and list querysets are read in chunks."""

import csv
import io
import tracemalloc

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse

from centinela.lib.exports import Column, export_response

COLUMNS = [Column(k, k, (lambda i, k=k: f"{k}-{i} texto de ejemplo, con coma")) for k in "abcde"]


def test_a_large_csv_export_is_streamed_with_bounded_memory():
    rows = 60_000  # about 9 MB of CSV
    tracemalloc.start()
    try:
        response = export_response(iter(range(rows)), COLUMNS, "csv", "grande")
        size = sum(len(chunk) for chunk in response.streaming_content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(response, StreamingHttpResponse)
    assert size > 8_000_000
    assert peak < 2_000_000, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB export"


def test_an_xlsx_export_is_sent_from_a_temporary_file():
    from openpyxl import load_workbook

    response = export_response(iter(range(3000)), COLUMNS, "xlsx", "grande")
    assert isinstance(response, FileResponse)
    sheet = load_workbook(io.BytesIO(response.getvalue()), read_only=True).active
    values = list(sheet.values)
    assert len(values) == 3001 and values[-1][0] == "a-2999 texto de ejemplo, con coma"


@pytest.mark.django_db
def test_a_list_export_streams_and_reads_its_queryset_in_chunks(client_for):
    from centinela.territory.models import Place

    response = client_for("tecnico").get(reverse("territory:place_list"), {"export": "csv"})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="lugares-' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert len(rows) == Place.objects.count() > 0
