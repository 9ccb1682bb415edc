"""lib/archives.py: a zip archive is checked before anything is extracted or parsed: more members than
ARCHIVE_MAX_MEMBERS, or more bytes once expanded than ARCHIVE_MAX_EXPANDED_BYTES (a real small zip that expands
a hundredfold), or a damaged archive, is refused with a Spanish message; an archive within the limits passes, and an
open file is rewound either way. Archives built in the test with zipfile."""

import io
import zipfile

import pytest
from django.utils import translation

from centinela.lib.archives import UnsafeArchive, check_zip, is_zip


@pytest.fixture(autouse=True)
def spanish(settings):
    settings.ARCHIVE_MAX_MEMBERS = 3
    settings.ARCHIVE_MAX_EXPANDED_BYTES = 1_000_000
    with translation.override("es-ec"):
        yield


def archive(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members:
            out.writestr(name, data)
    return path


def refusal(source) -> str:
    with pytest.raises(UnsafeArchive) as caught:
        check_zip(source)
    return str(caught.value)


def test_an_archive_within_the_limits_passes(tmp_path):
    path = archive(tmp_path / "ok.zip", [("a.shp", b"x" * 500_000), ("a.dbf", b"y" * 500_000), ("a.shx", b"")])
    check_zip(path)
    assert is_zip(path)


def test_too_many_members_are_refused(tmp_path):
    path = archive(tmp_path / "muchos.zip", [(f"m{i}.xml", b"") for i in range(4)])
    assert refusal(path) == "el archivo comprimido contiene 4 archivos; se aceptan como máximo 3"


def test_an_archive_expanding_past_the_limit_is_refused_though_small(tmp_path):
    path = archive(tmp_path / "bomba.zip", [("ceros.xml", bytes(2_000_000))])
    assert path.stat().st_size < 20_000
    assert refusal(path) == (
        "el archivo comprimido se expande a 2 MB; se aceptan como máximo 1 MB (¿es una bomba de descompresión?)"
    )


def test_the_expanded_size_counts_every_member(tmp_path):
    path = archive(tmp_path / "partes.zip", [("a", bytes(400_000)), ("b", bytes(400_000)), ("c", bytes(200_001))])
    assert "se expande a 1 MB" in refusal(path)


@pytest.mark.parametrize("raw", [b"PK\x03\x04" + bytes(100), b"no es un zip", b""])
def test_a_damaged_archive_is_refused(tmp_path, raw):
    path = tmp_path / "roto.zip"
    path.write_bytes(raw)
    assert refusal(path).startswith("es un archivo comprimido dañado: ")


def test_an_open_file_is_rewound_whether_it_passes_or_not(tmp_path):
    good = io.BytesIO(archive(tmp_path / "ok.zip", [("a", b"a")]).read_bytes())
    good.read(10)
    check_zip(good)
    assert good.tell() == 0 and zipfile.ZipFile(good).read("a") == b"a"
    bad = io.BytesIO(archive(tmp_path / "muchos.zip", [(str(i), b"") for i in range(5)]).read_bytes())
    refusal(bad)
    assert bad.tell() == 0


def test_only_the_zip_signature_makes_a_zip(tmp_path):
    path = tmp_path / "a.zip"
    path.write_bytes(b"PK\x05\x06" + bytes(18))  # an empty archive has no local header
    assert not is_zip(path)
    path.write_bytes(b"")
    assert not is_zip(path)
