"""The reporter's contact is personal data (LOPDP): administrators and the director see it on the report page and in
exports; technicians and parish presidents see neither, only that a contact was left."""

import pytest

URL = "/participa/reportes/"
CONTACT = ("Rosa Quizhpe", "0991112233", "rosa@example.ec")


@pytest.mark.parametrize("role", ["admin", "directora"])
def test_those_who_may_see_personal_data_see_the_contact_in_page_and_export(client_for, report, role):
    c = client_for(role)
    page = c.get(report.get_absolute_url()).content.decode()
    assert all(value in page for value in CONTACT)
    csv = b"".join(c.get(URL + "?export=csv").streaming_content).decode()
    assert all(value in csv for value in CONTACT)
    xlsx = c.get(URL + "?export=xlsx")
    assert xlsx.status_code == 200


@pytest.mark.parametrize("role", ["tecnico", "presidente.sagrario"])
def test_others_see_neither_in_page_nor_in_export(client_for, report, role):
    c = client_for(role)
    page = c.get(report.get_absolute_url()).content.decode()
    assert report.code in page
    assert not any(value in page for value in CONTACT)
    assert "datos personales" in page
    for fmt in ("csv", "xlsx"):
        response = c.get(URL + f"?export={fmt}")
        body = b"".join(response.streaming_content) if response.streaming else response.getvalue()
        if fmt == "xlsx":
            import io

            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(body), read_only=True)
            body = repr([list(row) for row in book.active.iter_rows(values_only=True)]).encode()
        text = body.decode("utf-8", "replace")
        assert report.code in text
        assert not any(value in text for value in CONTACT)
        assert "contact_email" not in text
