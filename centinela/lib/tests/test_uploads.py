"""lib/uploads.py: the size limit every upload obeys while it arrives (a real multipart request through Django's
upload handlers: past UPLOAD_MAX_BYTES no byte is kept and the form gets the name and the size, with a Spanish
message), and the files kept between an import's preview and its confirmation: refused by type or size in Spanish,
stored under VAR_DIR/imports with a random name tied to one session, found again, discarded, and swept after an
hour."""

import os
import time
from importlib import import_module

import pytest
from django import forms
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import translation

from centinela.lib import uploads

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def spanish():
    with translation.override("es-ec"):
        yield


@pytest.fixture
def folder(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path / "imports"


def session_request():
    request = RequestFactory().get("/")
    request.session = import_module(django_settings.SESSION_ENGINE).SessionStore()
    return request


def arrived(settings, size, limit):
    """request.FILES["file"] of a real multipart POST of `size` bytes with UPLOAD_MAX_BYTES = limit."""
    settings.UPLOAD_MAX_BYTES = limit
    request = RequestFactory().post(
        "/", {"file": SimpleUploadedFile("datos.csv", b"x" * size, "text/csv"), "nota": "lo que escribió"}
    )
    return request.FILES["file"], request.POST["nota"]


def test_the_message_gives_both_sizes_in_megabytes():
    assert uploads.too_large_message(2_500_000, 1_000_000) == "El archivo es demasiado grande (2.5 MB; máximo 1 MB)."


def test_a_file_within_the_limit_arrives_whole(settings):
    uploaded, note = arrived(settings, 5000, 5000)
    assert uploaded.read() == b"x" * 5000 and not getattr(uploaded, "oversized", False) and note == "lo que escribió"
    uploads.size_limit(uploaded)


def test_a_file_past_the_limit_arrives_without_its_bytes_and_the_rest_of_the_form_is_kept(settings):
    uploaded, note = arrived(settings, 300_000, 100_000)
    assert uploaded.oversized and uploaded.read() == b"" and uploaded.size == 300_000 and uploaded.name == "datos.csv"
    assert note == "lo que escribió"
    with pytest.raises(ValidationError, match=r"demasiado grande \(0.3 MB; máximo 0 MB\)"):
        uploads.size_limit(uploaded)


def test_a_request_declaring_a_size_far_past_the_limit_keeps_not_even_the_first_chunk(settings):
    settings.UPLOAD_MAX_BYTES = 1000
    handler = uploads.LimitedUploadHandler()
    handler.handle_raw_input(None, {}, 1000 + 1024 * 1024 + 1, "frontera")
    handler.new_file("file", "a.csv", "text/csv", 10)
    assert handler.receive_data_chunk(b"abc", 0) is None
    assert handler.file_complete(3).oversized
    handler.handle_raw_input(None, {}, 1000 + 1024 * 1024, "frontera")  # within the allowance for the form's fields
    handler.new_file("file", "a.csv", "text/csv", 10)
    assert handler.receive_data_chunk(b"abc", 0) == b"abc" and handler.file_complete(3) is None


def test_the_validator_refuses_a_stored_file_past_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = 10
    uploads.size_limit(SimpleUploadedFile("a.csv", b"x" * 10))
    uploads.size_limit(None)
    with pytest.raises(ValidationError):
        uploads.size_limit(SimpleUploadedFile("a.csv", b"x" * 11))


def test_the_validator_makes_a_form_error(settings):
    class Form(forms.Form):
        file = forms.FileField(validators=[uploads.size_limit])

    settings.UPLOAD_MAX_BYTES = 1_000_000
    form = Form(files={"file": uploads.OversizedUpload("grande.csv", 3_000_000, "text/csv")})
    assert not form.is_valid()
    assert form.errors["file"] == ["El archivo es demasiado grande (3.0 MB; máximo 1 MB)."]


def test_a_stashed_file_is_found_again_by_its_session_and_discarded(folder):
    request = session_request()
    token = uploads.stash(
        request,
        SimpleUploadedFile("Parroquias.SHP.ZIP", b"contenido"),
        extensions={".zip", ".shp.zip", ".csv"},
        max_bytes=100,
    )
    path = uploads.path_of(request, token)
    assert path == folder / f"{token}.shp.zip" and path.read_bytes() == b"contenido"
    assert request.session[uploads.SESSION_KEY][token]["original"] == "Parroquias.SHP.ZIP"
    assert uploads.path_of(session_request(), token) is None  # another session does not see it
    assert uploads.path_of(request, "otro") is None
    uploads.discard(request, token)
    assert not path.exists() and uploads.path_of(request, token) is None
    uploads.discard(request, token)  # twice: nothing left to do, no error


def test_a_stashed_file_that_vanished_is_not_found(folder):
    request = session_request()
    token = uploads.stash(request, SimpleUploadedFile("a.csv", b"a"), extensions={".csv"}, max_bytes=100)
    uploads.path_of(request, token).unlink()
    assert uploads.path_of(request, token) is None


def test_a_file_of_another_type_is_refused_naming_the_accepted_ones(folder):
    with pytest.raises(ValidationError) as caught:
        uploads.stash(
            session_request(), SimpleUploadedFile("a.csv.exe", b"a"), extensions={".xlsx", ".csv"}, max_bytes=100
        )
    assert caught.value.messages == ["No se aceptan archivos de este tipo. Se aceptan: .csv, .xlsx"]
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_file_past_the_imports_own_limit_is_refused_and_not_stored(folder, settings):
    settings.UPLOAD_MAX_BYTES = 10_000_000
    with pytest.raises(ValidationError) as caught:
        uploads.stash(
            session_request(), SimpleUploadedFile("a.csv", b"x" * 2_100_000), extensions={".csv"}, max_bytes=2_000_000
        )
    assert caught.value.messages == ["El archivo es demasiado grande (2.1 MB; máximo 2 MB)."]
    assert not folder.exists() or list(folder.iterdir()) == []


def test_stashed_files_older_than_an_hour_are_swept_by_the_next_stash(folder):
    request = session_request()
    old = uploads.path_of(
        request, uploads.stash(request, SimpleUploadedFile("a.csv", b"a"), extensions={".csv"}, max_bytes=100)
    )
    fresh = uploads.path_of(
        request, uploads.stash(request, SimpleUploadedFile("b.csv", b"b"), extensions={".csv"}, max_bytes=100)
    )
    hour_ago = time.time() - uploads.MAX_AGE_SECONDS - 5
    os.utime(old, (hour_ago, hour_ago))
    uploads.stash(request, SimpleUploadedFile("c.csv", b"c"), extensions={".csv"}, max_bytes=100)
    assert not old.exists() and fresh.exists() and len(list(folder.iterdir())) == 2
