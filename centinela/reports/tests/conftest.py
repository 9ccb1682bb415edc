"""`demo_2020`: the demo year for a test module (see demo_db). `built`: the 2020 report in its three formats, built once
per module, with the text a reader finds in each."""

import time
from dataclasses import dataclass

import pytest
from django.utils import translation

from centinela.reports import documents, selectors
from centinela.reports.tests.demo_db import demo_year_loaded
from centinela.reports.tests.reading import docx_text, html_text, pdf_text

READERS = {"html": html_text, "docx": docx_text, "pdf": pdf_text}


@dataclass
class Built:
    report: selectors.AnnualReport
    content: dict  # format -> bytes
    text: dict  # format -> the text a reader finds in it
    seconds: dict  # format -> seconds to build


@pytest.fixture(scope="module")
def demo_2020(django_db_setup, django_db_blocker, tmp_path_factory):
    with demo_year_loaded(django_db_blocker, tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="module")
def built(demo_2020):
    with translation.override("es-ec"):
        report = selectors.annual_report(2020)
        content, seconds = {}, {}
        for fmt in READERS:
            started = time.perf_counter()
            content[fmt] = documents.build(2020, fmt).content
            seconds[fmt] = time.perf_counter() - started
    return Built(report, content, {fmt: READERS[fmt](data) for fmt, data in content.items()}, seconds)
