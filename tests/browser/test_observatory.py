"""The observatory in a real browser: a hot-spot analysis and a near-repeat table run from their pages on the demo
incidents, the job page's progress bar reaches the end, the result draws its map layer and shows the Knox table."""

import threading

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def incidents(gazetteer):
    # live-server tests flush the database after each test: the shipped taxonomy is loaded again, as migrate does
    from centinela.incidents.models import Category, Source
    from centinela.incidents.taxonomy import CATEGORIES, SOURCES

    for code, name, group in CATEGORIES:
        Category.objects.get_or_create(code=code, defaults={"name": name, "group": group})
    for code, name in SOURCES:
        Source.objects.get_or_create(code=code, defaults={"name": name})
    from centinela.incidents.demo import load_demo_incidents

    loaded = load_demo_incidents()  # the full demo: about 14,000 synthetic incidents of Loja, 2018-2021
    assert loaded["created"] > 10_000, loaded


def _worker():
    """The job worker, in a thread of its own as `run_jobs` is a process of its own."""
    errors = []

    def run():
        from django.db import connections

        from centinela.jobs import services

        try:
            services.run_pending()
        except Exception as exc:  # noqa: BLE001 - reported in the test thread
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def _run_from_the_page(page, site, path, fields):
    page.goto(site.url(path))
    for selector, value in fields.items():
        page.fill(selector, value)
    with page.expect_navigation():
        page.click("form.analysis-form button[type=submit]")
    assert "/trabajos/" in page.url, page.inner_text("form.analysis-form")[:2000]
    assert page.locator("#job-status progress").count() == 1
    thread, errors = _worker()
    thread.join(300)
    assert not thread.is_alive() and not errors, errors
    from centinela.jobs.models import Job

    job = Job.objects.latest("pk")
    assert job.status == "done", (job.status, job.error)
    page.wait_for_selector("#job-status a.job-result")  # the page's poll sees it finish
    assert page.locator("#job-status progress").get_attribute("value") == "100"
    assert page.inner_text("#job-status .job-percent").strip() == "100 %"
    with page.expect_navigation():
        page.click("#job-status a.job-result")
    assert "/observatorio/analisis/resultados/" in page.url
    page.wait_for_selector("#map[data-ready='1']")


def test_a_hot_spot_analysis_and_a_near_repeat_table_run_from_the_web_page(page, site, login, incidents):
    page.set_default_timeout(30_000)  # the analyses share the machine with the rest of the suite
    login(page, "tecnico")
    page.goto(site.url("/"))
    with page.expect_navigation():
        page.click("nav.mainnav a:has-text('Análisis')")
    assert page.locator("h1").inner_text() == "Análisis delictual"

    # exact p-values (the default) take no permutations or seed: those fields show for Monte Carlo only
    page.goto(site.url("/observatorio/analisis/puntos-calientes/"))
    assert page.locator("#id_p_method").input_value() == "exact"
    assert not page.locator("#id_permutations").is_visible() and not page.locator("#id_seed").is_visible()
    page.select_option("#id_p_method", "mc")
    assert page.locator("#id_permutations").is_visible() and page.locator("#id_seed").is_visible()

    _run_from_the_page(page, site, "/observatorio/analisis/puntos-calientes/", {"#id_start": "", "#id_end": ""})
    assert page.locator("path.analysis-cell").count() > 0, "the Gi* cells are drawn on the map"
    assert page.locator("path.analysis-cell.gistar-hot99").count() > 0
    assert "Punto caliente, 99 % de confianza" in page.inner_text("#analysis-legend")
    assert page.locator("table.analysis-table tbody tr").count() > 0
    assert page.locator(".synthetic-banner").count() == 1
    assert "Datos sintéticos" in page.inner_text(".synthetic-banner")
    headers = page.locator("table.analysis-table thead th").all_inner_texts()
    assert "Categoría" in headers and "category" not in headers

    _run_from_the_page(
        page,
        site,
        "/observatorio/analisis/repeticion-cercana/",
        {"#id_start": "", "#id_end": "", "#id_permutations": "199"},
    )
    table = page.locator("table.knox-table")
    assert table.count() == 1
    assert table.locator("tbody tr").count() == 5  # same place, 3 distance bands, beyond
    assert table.locator("thead th").nth(1).inner_text() == "0-7"
    assert table.locator("td.knox-cell.significant").count() > 0
    assert "semiabiertas" in page.inner_text("body")
    assert page.locator("path.analysis-point").count() > 0
    # the demo's incidents are synthetic: the result says so, unconditionally
    assert page.locator(".synthetic-banner").count() == 1
    assert "Datos sintéticos" in page.inner_text(".synthetic-banner")
    assert not site.errors, site.errors
