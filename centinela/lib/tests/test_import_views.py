"""lib/import_views.py, the one upload -> preview -> confirm page behind every import, driven with real requests
(sessions, messages, multipart uploads) over a real CSV and the real database: the upload stashes the file and
dry-runs it (nothing saved), the confirmation imports it once and removes the file, a replayed or unknown token sends
the user back in Spanish, a file with problems is dropped, `skip_problem_rows` confirms only the valid rows, a rule
refusing a row at the last moment saves nothing, and `confirm_as_job` hands the stashed file over. The confirmation
never imports in the request: it queues a job (a kind of centinela.jobs.imports, registered here for the test's
importer), which the tests run as the worker does (`run_pending`), and the page shows its result at ?applied=."""

import io
from importlib import import_module

import pytest
from django import forms
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage import default_storage
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import translation

from centinela.accounts.models import User
from centinela.jobs import registry
from centinela.jobs.imports import applied_result, import_job_kind, queue
from centinela.jobs.models import Job
from centinela.jobs.services import held_folder, run_pending
from centinela.lib import uploads
from centinela.lib.import_views import import_page, problem_rows
from centinela.lib.imports import Importer, Problem, Row
from centinela.lib.tables import read_rows

pytestmark = pytest.mark.django_db
KIND = "tests.lib_import"  # the job kind of the test's importer, registered for each test
PAGE = (
    "token={{ token }}|problems={{ result.problems|join:';' }}|partial={{ partial.rows|length }}"
    "|preview={{ result.preview.new }}|bad={{ problem_rows|join:',' }}|file={{ filename }}"
    "|error={{ form.errors.file.0 }}|prefix={{ form.initial.prefix }}"
)


# the result page once only the valid rows were applied
DONE = "done={{ applied.url }}|file={{ applied.filename }}|bad={{ problem_rows|join:',' }}|csv={{ rejected_urls.csv }}"


class UploadForm(forms.Form):
    file = forms.FileField(validators=[uploads.size_limit])  # as every upload field (tests/test_bad_uploads.py)
    prefix = forms.CharField()


@pytest.fixture
def page(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    ("django.template.loaders.locmem.Loader", {"import.html": PAGE, "lib/import_done.html": DONE})
                ]
            },
        }
    ]
    session = import_module(django_settings.SESSION_ENGINE).SessionStore()
    seen = {"may_import": True}
    asker = User.objects.create(username="quien-importa")

    def make_importer(params, skip=frozenset()):
        seen["skip"] = skip

        def parse(path):
            rows = [
                Row(n, r["nombre"], {"username": params["prefix"] + r["nombre"]})
                for n, r in read_rows(path)
                if n not in skip
            ]
            return rows, []

        def validate(rows):
            return [Problem(r.number, r.label, "nombre con espacios") for r in rows if " " in r.data["username"]]

        def apply(rows):
            for row in rows:
                if row.data["username"].endswith("!"):
                    raise ValidationError("regla rota en el último momento")
                User.objects.create(username=row.data["username"])
            return {"created": len(rows)}

        return Importer(
            parse=parse,
            validate=validate,
            apply=apply,
            preview=lambda rows: {"new": len(rows)},
            audit_target=lambda: User.objects.get_or_create(username="registro-de-importaciones")[0],
            skip=skip,
        )

    import_job_kind(
        KIND,
        label="Importación de prueba",
        make_importer=lambda user, params, skip: make_importer(params, skip),
        may_import=lambda user, params: seen["may_import"],
        summary=lambda result, params: (f"{result.counts['created']} creados", "/hecho/"),
        page_url=lambda params: "/importar/",
    )

    def request(data=None, *, skip_problem_rows=False, confirm_as_job=None, query=None):
        if data is not None:
            made = RequestFactory().post("/importar/", data)
        else:
            made = RequestFactory().get("/importar/", query or {})
        made.session, made.user = session, asker
        made._messages = default_storage(made)
        with translation.override("es-ec"):
            response = import_page(
                made,
                template="import.html",
                context={},
                form_class=UploadForm,
                make_importer=make_importer,
                extensions={".csv"},
                max_bytes=1000,
                session_key="test_imports",
                retry_url="/importar/",
                skip_problem_rows=skip_problem_rows,
                confirm_as_job=confirm_as_job
                or (lambda path, params, skip=frozenset(): queue(made, KIND, path, params, skip)),
                applied=applied_result(asker, KIND),
            )
        seen["messages"] = [str(m) for m in get_messages(made)]
        if response.has_header("Content-Disposition"):  # a download
            return response, {}
        return response, dict(
            part.split("=", 1) for part in response.content.decode().split("|")
        ) if response.status_code == 200 else {}

    request.seen, request.folder, request.asker = seen, tmp_path / "imports", asker
    yield request
    registry.KINDS.pop(KIND, None)


def queued(response) -> Job:
    """The job a confirmation queued, whose page the confirmation leads to (following it to its result)."""
    job = Job.objects.get(kind=KIND, status=Job.Status.QUEUED)
    assert response.status_code == 302 and response["Location"] == f"/trabajos/{job.pk}/?follow=1"
    return job


def upload(text, name="personas.csv"):
    return {"file": SimpleUploadedFile(name, text.encode()), "prefix": "imp-"}


def imported():
    return sorted(User.objects.filter(username__startswith="imp-").values_list("username", flat=True))


def test_the_page_shows_the_form(page):
    response, shown = page()
    assert response.status_code == 200 and shown["token"] == "" and shown["error"] == ""


def test_an_upload_is_previewed_then_confirmed_once(page):
    response, shown = page(upload("nombre\nana\nluis\n"))
    token = shown["token"]
    assert token and shown["preview"] == "2" and shown["file"] == "personas.csv" and imported() == []
    assert [p.name for p in page.folder.iterdir()] == [f"{token}.csv"]

    response, _ = page({"token": token})
    job = queued(response)  # the confirmation queues the import: nothing is stored before the job runs
    assert page.seen["messages"] == ["La importación se ejecuta en segundo plano; esta página muestra su avance."]
    assert imported() == [] and list(page.folder.iterdir()) == []
    assert [p.name for p in held_folder().iterdir()] == [job.params["file"]]  # held for its job
    assert run_pending() == 1
    response, _ = page(query={"applied": job.pk})  # where the job's page leads once the job is done
    assert response.status_code == 302 and response["Location"] == "/hecho/"
    assert page.seen["messages"] == ["2 creados"] and imported() == ["imp-ana", "imp-luis"]
    assert list(page.folder.iterdir()) == [] and list(held_folder().iterdir()) == []

    response, _ = page({"token": token})  # the same confirmation again: nothing imported twice
    assert response.status_code == 302 and response["Location"] == "/importar/"
    assert page.seen["messages"] == ["Esa carga ha expirado; suba el archivo de nuevo."]
    assert imported() == ["imp-ana", "imp-luis"]


def test_an_unknown_token_is_sent_back_in_spanish(page):
    response, _ = page({"token": "inventado"})
    assert response["Location"] == "/importar/"
    assert page.seen["messages"] == ["Esa carga ha expirado; suba el archivo de nuevo."]


def test_a_file_with_problems_shows_them_keeps_no_token_and_drops_the_file(page):
    response, shown = page(upload("nombre\nana\nmaría josé\n"))
    assert shown["token"] == "" and shown["bad"] == "3" and shown["partial"] == "0"
    assert shown["problems"] == "fila 3 (maría josé): nombre con espacios"
    assert list(page.folder.iterdir()) == [] and imported() == []


def test_a_file_of_another_type_is_a_spanish_form_error(page):
    response, shown = page(upload("nombre\nana\n", name="personas.pdf"))
    assert shown["error"] == "No se aceptan archivos de este tipo. Se aceptan: .csv" and shown["token"] == ""
    assert not page.folder.exists() or list(page.folder.iterdir()) == []


def test_a_file_past_the_pages_limit_is_a_spanish_form_error(page):
    response, shown = page(upload("nombre\n" + "ana\n" * 300))
    assert shown["error"] == "El archivo es demasiado grande (0.0 MB; máximo 0 MB)." and shown["token"] == ""


def test_with_skip_problem_rows_only_the_valid_rows_are_confirmed_when_the_user_ticks_the_box(page):
    response, shown = page(upload("nombre\nana\nmaría josé\nluis\n"), skip_problem_rows=True)
    assert shown["token"] and shown["partial"] == "2" and shown["bad"] == "3" and imported() == []
    response, _ = page({"token": shown["token"]}, skip_problem_rows=True)  # not ticked: nothing imported
    assert response["Location"] == "/importar/" and imported() == []
    assert page.seen["messages"] == [
        "Marque la casilla para importar solo las filas válidas, o corrija primero el archivo."
    ]
    response, _ = page({"token": shown["token"], "apply_valid": "1"}, skip_problem_rows=True)
    job = queued(response)
    assert job.params["skip"] == [3] and imported() == [] and run_pending() == 1
    job.refresh_from_db()
    assert page.seen["skip"] == frozenset({3}) and registry.get(KIND).result_url(job) == f"/importar/?applied={job.pk}"
    response, _ = page(query={"applied": job.pk}, skip_problem_rows=True)
    assert imported() == ["imp-ana", "imp-luis"] and page.seen["messages"] == ["2 creados"]


def test_after_the_valid_rows_are_applied_the_result_page_still_offers_the_rejected_rows(page):
    response, shown = page(upload("Nombre;Ciudad\nana;Loja\nmaría josé;Catamayo\n"), skip_problem_rows=True)
    token = shown["token"]
    job = queued(page({"token": token, "apply_valid": "1"}, skip_problem_rows=True)[0])
    assert run_pending() == 1
    # the upload itself is gone; the reasons and the rejected rows the job wrote stay for the download
    assert sorted(p.name.removeprefix(token) for p in page.folder.iterdir()) == [
        ".rejected-rows.jsonl",
        ".rejected.json",
    ]
    response, done = page(query={"applied": job.pk}, skip_problem_rows=True)
    assert done == {
        "done": "/hecho/",
        "file": "personas.csv",
        "bad": "3",
        "csv": f"/importar/?rejected={token}&amp;format=csv",
    }
    response, _ = page(query={"rejected": token, "format": "csv"}, skip_problem_rows=True)
    assert response["Content-Disposition"] == 'attachment; filename="personas-rechazadas.csv"'
    assert rejected_csv(response).splitlines() == ["Nombre,Ciudad,motivo", "maría josé,Catamayo,nombre con espacios"]
    response, _ = page(query={"rejected": token, "format": "xlsx"}, skip_problem_rows=True)
    assert response["Content-Disposition"] == 'attachment; filename="personas-rechazadas.xlsx"'
    for kept in page.folder.iterdir():  # once uploads are no longer kept, the page says so
        kept.unlink()
    response, _ = page(query={"rejected": token, "format": "csv"}, skip_problem_rows=True)
    assert response.status_code == 302 and page.seen["messages"] == ["Esa carga ha expirado; suba el archivo de nuevo."]


def test_the_job_of_an_import_of_the_valid_rows_writes_the_download_of_the_rejected_ones(page, tmp_path):
    """The confirmation reads nothing of the file (a million rows took seconds of the user's request to pick the
    rejected ones): it hands the job where the reasons are and where to write the rejected rows, and the job does it
    (keep_rejected_in_job, as the incident and boundary jobs call it) before the page's download serves them."""
    from centinela.lib.import_views import keep_rejected_in_job

    handed = {}
    held = tmp_path / "held.csv"

    def confirm_as_job(path, params, skip):
        handed.update(params, skip=skip)
        path.rename(held)  # moved where the job will find it
        return "/trabajos/1/"

    response, shown = page(upload("nombre\nana\nmaría josé\n"), skip_problem_rows=True, confirm_as_job=confirm_as_job)
    token = shown["token"]
    page({"token": token, "apply_valid": "1"}, skip_problem_rows=True, confirm_as_job=confirm_as_job)
    assert handed["skip"] == frozenset({3}) and handed["filename"] == "personas.csv"
    assert handed["rejected_urls"] == {
        "csv": f"/importar/?rejected={token}&format=csv",
        "xlsx": f"/importar/?rejected={token}&format=xlsx",
    }
    assert not any(p.suffix == ".jsonl" for p in page.folder.iterdir())  # not read in the request
    response, _ = page(query={"rejected": token, "format": "csv"}, skip_problem_rows=True)
    assert response.status_code == 302 and page.seen["messages"] == [
        "Las filas rechazadas estarán listas cuando la importación se haya ejecutado; su página las ofrece."
    ]
    with translation.override("es-ec"):  # as the worker runs jobs: in the site's language
        assert keep_rejected_in_job(handed, held) is True
    response, _ = page(query={"rejected": token, "format": "csv"}, skip_problem_rows=True)
    assert rejected_csv(response).splitlines() == ["nombre,motivo", "maría josé,nombre con espacios"]
    assert keep_rejected_in_job({}, held) is False  # a whole file: nothing to keep


def test_every_applied_import_writes_one_audit_entry_with_the_file_and_the_rows_applied_and_rejected(page):
    from auditlog.models import LogEntry

    response, shown = page(upload("nombre\nana\nmaría josé\nluis\njuan pablo\n"), skip_problem_rows=True)
    page({"token": shown["token"], "apply_valid": "1"}, skip_problem_rows=True)
    response, shown = page(upload("nombre\npedro\n", name="otra.csv"), skip_problem_rows=True)
    page({"token": shown["token"]}, skip_problem_rows=True)  # a whole file: audited too
    assert run_pending() == 2
    target = User.objects.get(username="registro-de-importaciones")
    partial, whole = LogEntry.objects.get_for_object(target).filter(additional_data__isnull=False).order_by("pk")
    assert imported() == ["imp-ana", "imp-luis", "imp-pedro"]
    assert partial.additional_data["file"] == "personas.csv" and partial.actor == whole.actor == page.asker
    assert partial.additional_data["applied rows"] == 2 and partial.additional_data["rejected rows"] == 2
    assert partial.changes_dict == {
        "imported file": [None, "personas.csv"],
        "applied rows": [None, "2"],
        "rejected rows": [None, "2"],
    }
    assert whole.additional_data["file"] == "otra.csv" and whole.additional_data["applied rows"] == 1
    assert whole.additional_data["rejected rows"] == 0


def rejected_csv(response) -> str:
    assert response.streaming  # a large file's rejected rows are sent as they are read, never held
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_rejected_rows_download_in_the_users_columns_with_the_reason_and_the_fixed_file_imports(page):
    text = "Nombre;Ciudad\nana;Loja\nmaría josé;Catamayo\nluis;Loja\njuan pablo;\n"
    response, shown = page(upload(text), skip_problem_rows=True)
    token = shown["token"]
    response, _ = page(query={"rejected": token, "format": "csv"}, skip_problem_rows=True)
    assert response["Content-Disposition"] == 'attachment; filename="personas-rechazadas.csv"'
    assert rejected_csv(response).splitlines() == [
        "Nombre,Ciudad,motivo",
        "maría josé,Catamayo,nombre con espacios",
        "juan pablo,,nombre con espacios",
    ]
    fixed = rejected_csv(page(query={"rejected": token, "format": "csv"}, skip_problem_rows=True)[0])
    fixed = fixed.replace("maría josé", "maríajosé").replace("juan pablo", "juanpablo")
    response, shown = page(upload(fixed, name="corregidas.csv"), skip_problem_rows=True)
    assert shown["problems"] == "" and shown["preview"] == "2"
    page({"token": shown["token"]}, skip_problem_rows=True)
    run_pending()
    assert imported() == ["imp-juanpablo", "imp-maríajosé"]


def test_the_rejected_rows_download_as_xlsx(page):
    from openpyxl import load_workbook

    response, shown = page(upload("nombre\nana\n=maría josé\n"), skip_problem_rows=True)
    response, _ = page(query={"rejected": shown["token"], "format": "xlsx"}, skip_problem_rows=True)
    assert response["Content-Disposition"] == 'attachment; filename="personas-rechazadas.xlsx"'
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    # a cell a spreadsheet would run as a formula is kept as text (lib.exports.safe_text)
    assert list(book.active.iter_rows(values_only=True)) == [
        ("nombre", "motivo"),
        ("'=maría josé", "nombre con espacios"),
    ]


def test_the_rejected_rows_are_offered_even_when_no_row_is_valid_and_never_to_another_session(page):
    response, shown = page(upload("nombre\nana maría\n"), skip_problem_rows=True)
    assert shown["token"] == "" and shown["bad"] == "2"
    [stashed] = [p for p in page.folder.iterdir() if p.suffix == ".csv"]
    response, _ = page(query={"rejected": stashed.stem, "format": "csv"}, skip_problem_rows=True)
    assert rejected_csv(response).splitlines()[1] == "ana maría,nombre con espacios"
    response, _ = page(query={"rejected": "inventado", "format": "csv"}, skip_problem_rows=True)
    assert response.status_code == 302 and response["Location"] == "/importar/"
    response, _ = page(query={"rejected": stashed.stem, "format": "pdf"}, skip_problem_rows=True)
    assert response.status_code == 400  # not "the upload has expired": the format is not offered
    assert response.content.decode() == (
        "El formato pdf no se ofrece para las filas rechazadas; elija uno de estos: CSV, XLSX."
    )


def test_a_row_refused_at_the_confirmation_saves_nothing_and_says_why(page):
    response, shown = page(upload("nombre\nana\nmal!\n"))
    job = queued(page({"token": shown["token"]})[0])
    assert run_pending() == 1
    job.refresh_from_db()  # the job's page says why
    assert job.status == Job.Status.FAILED and job.error == "regla rota en el último momento"
    assert imported() == [] and list(page.folder.iterdir()) == [] and list(held_folder().iterdir()) == []
    response, _ = page(query={"applied": job.pk})  # no result to show: back to the page, saying so
    assert response["Location"] == "/importar/" and page.seen["messages"] == [
        "Esa importación no está disponible; puede que aún se esté ejecutando o que sea de otro usuario."
    ]


def test_confirm_as_job_gets_the_stashed_file_and_the_params(page, tmp_path):
    handed = {}

    def confirm_as_job(path, params):
        handed.update(params, text=path.read_text())
        return "/trabajos/1/"

    response, shown = page(upload("nombre\nana\n"), confirm_as_job=confirm_as_job)
    response, _ = page({"token": shown["token"]}, confirm_as_job=confirm_as_job)
    assert response["Location"] == "/trabajos/1/"
    assert handed == {"prefix": "imp-", "filename": "personas.csv", "text": "nombre\nana\n"}
    assert imported() == [] and list(page.folder.iterdir()) == []


def test_problem_rows_are_sorted_once_each_without_the_file_wide_ones():
    problems = [Problem(5, "", "x"), Problem(None, "", "y"), Problem(2, "", "z"), Problem(5, "", "w")]
    assert problem_rows(problems) == [2, 5]


def test_the_session_keeps_one_entry_per_pending_upload(page):
    first = page(upload("nombre\nana\n"))[1]["token"]
    second = page(upload("nombre\nluis\n"))[1]["token"]
    request = RequestFactory().get("/")
    request.session = import_module(django_settings.SESSION_ENGINE).SessionStore()
    assert first != second and uploads.path_of(request, first) is None  # another session never sees them
    assert len(list(page.folder.iterdir())) == 2
