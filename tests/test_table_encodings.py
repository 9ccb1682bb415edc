"""Every upload reads tables through lib/tables.py: the activity import (another importer than the incidents')
reads files in any encoding and with any delimiter as they were written, and refuses binary files and bytes no
encoding reads with Spanish messages, naming the rows, importing nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from centinela.activities.models import Activity
from centinela.activities.tests import factories as f
from centinela.jobs.tests.follow import confirm
from centinela.lib.tables import UnreadableTable, decode_text, sniff_delimiter

pytestmark = pytest.mark.django_db


def rows(prog, delimiter):
    year = prog.plan.starts_on.year
    header = ["title", "programme", "kind", "starts_at", "status", "budget_planned"]
    body = [
        [f"Minga en Ñañacocha año {year}", prog.code, "other", f"{year}-04-01 10:00", "planned", "10"],
        ["Reunión con la Policía", prog.code, "other", f"{year}-04-02 18:30", "planned", "0"],
    ]
    return "".join(delimiter.join(r) + "\r\n" for r in [header] + body)


def post(client, name, content):
    return client.post(reverse("activities:activity_import"), {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize(
    "encoding, bom, delimiter",
    [
        ("utf-16-le", "\ufeff", "\t"),
        ("utf-16-be", "\ufeff", ";"),
        ("utf-16-le", "", "\t"),
        ("utf-8", "\ufeff", ","),
        ("cp1252", "", ";"),
        ("iso-8859-1", "", "|"),
        ("mac_roman", "", ","),
    ],
)
def test_the_activity_import_reads_any_encoding_and_delimiter(client_for, encoding, bom, delimiter):
    prog = f.programme()
    c = client_for("tecnico")
    preview = post(c, "actividades.csv", (bom + rows(prog, delimiter)).encode(encoding))
    result = preview.context["result"]
    assert result.ok, [str(p) for p in result.problems]
    assert [r.data["title"] for r in result.rows] == [
        f"Minga en Ñañacocha año {prog.plan.starts_on.year}",
        "Reunión con la Policía",
    ]
    confirm(c, reverse("activities:activity_import"), {"token": preview.context["token"]})
    assert Activity.objects.count() == 2


def test_the_activity_import_refuses_a_binary_file_in_spanish(client_for):
    response = post(client_for("tecnico"), "actividades.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    problems = [str(p) for p in response.context["result"].problems]
    assert len(problems) == 1 and "no se puede leer como CSV" in problems[0]
    assert "es un archivo binario (una imagen, un PDF, un archivo comprimido...), no una tabla" in problems[0]
    assert not Activity.objects.exists()


def test_the_activity_import_names_the_row_with_an_undecodable_byte(client_for):
    prog = f.programme()
    content = rows(prog, ",").encode("utf-8") + b"Caf\xe9 con la comunidad,X,other,2021-04-01 10:00,planned,0\r\n"
    problems = [str(p) for p in post(client_for("tecnico"), "actividades.csv", content).context["result"].problems]
    assert len(problems) == 1 and "fila 4: el byte 0xE9 no se puede leer como texto UTF-8" in problems[0], problems
    assert not Activity.objects.exists()


# --- the reader itself -------------------------------------------------------------------------------------------


def test_the_single_byte_encodings_are_told_apart_by_their_spanish_letters():
    text = "Dirección;Parroquia\r\nCalle Ñandú y Av. Loja;San Sebastián\r\nPasaje Güiña;El Valle\r\n"
    assert decode_text(text.encode("cp1252")) == (text, "cp1252")
    assert decode_text(text.encode("mac_roman")) == (text, "mac_roman")
    assert decode_text(text.encode("cp850")) == (text, "cp850")
    assert decode_text(text.encode("iso-8859-15"))[0] == text  # read as Windows-1252: the same letters


def test_iso_8859_1_control_bytes_are_not_taken_for_text():
    with pytest.raises(UnreadableTable) as caught:
        decode_text("Dirección;Parroquia\r\nCalle Ñandú;San Sebastián\r\nmal\x81;El Valle\r\n".encode("latin-1"))
    assert list(caught.value.rows) == [3] and "0x81" in str(caught.value)


@pytest.mark.parametrize(
    "text, delimiter",
    [
        ("a;b;c\n1;2,5;3\n4;5,5;6\n", ";"),  # decimal commas do not fool it
        ('a,b\n"x; y",2\n', ","),
        ('a;b\n"x, y";2\n', ";"),
        ("a|b|c\n1|2|3\n", "|"),
        ("a\tb\n1\t2\n", "\t"),
        ("solo\n1\n", ","),  # one column: any delimiter reads it
    ],
)
def test_the_delimiter_is_sniffed(text, delimiter):
    assert sniff_delimiter(text) == delimiter
