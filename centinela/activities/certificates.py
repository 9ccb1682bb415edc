"""Training certificates: the verification code and the PDF (reportlab), with the verification address as text and
as a QR code drawn as vector squares. The PDF holds the person's name but never their cédula."""

from __future__ import annotations

import io
import secrets

import segno
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas

from centinela.activities.selectors.training import institutions_of

# No 0/O, 1/I/L: a code read aloud over the phone or typed from paper must not be ambiguous.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def new_code() -> str:
    """31^10 ≈ 8·10^14 codes: guessing one that exists is hopeless, so the public page needs no login."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def qr_svg(url: str, *, scale: int = 6) -> str:
    """An inline SVG QR code (no file, no external service)."""
    return segno.make(url, error="m").svg_inline(scale=scale, border=2)


def _draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    qr = segno.make(url, error="m")
    rows = list(qr.matrix_iter(border=2))
    module = size / len(rows)
    canvas.setFillColor(HexColor("#000000"))
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(x + c * module, y + size - (r + 1) * module, module, module, stroke=0, fill=1)


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> float:
    while size > 9 and canvas.stringWidth(text, font, size) > width:
        size -= 1
    return size


def hours_text(hours) -> str:
    """2 rather than 2,0; 1,5 stays 1,5."""
    if hours is None:
        return ""
    return str(int(hours)) if hours == int(hours) else formats.localize(hours)


def certificate_pdf(
    *,
    name: str,
    topic: str,
    day,
    hours,
    institutions: list[str],
    code: str,
    verify_url: str,
    issued_on,
    place: str = "",
) -> bytes:
    """One landscape A4 page. `pageCompression=0` keeps the text readable in the file (and greppable in tests)."""
    out = io.BytesIO()
    width, height = landscape(A4)
    c = Canvas(out, pagesize=(width, height), pageCompression=0)
    c.setTitle(_("Certificate of attendance") + f" · {code}")
    issuer = _("Cantonal Citizen Security Council of Loja")
    c.setAuthor(issuer)
    c.setSubject(topic)

    navy = HexColor("#154360")
    c.setStrokeColor(navy)
    c.setLineWidth(3)
    c.rect(1.2 * cm, 1.2 * cm, width - 2.4 * cm, height - 2.4 * cm)
    c.setLineWidth(0.8)
    c.rect(1.5 * cm, 1.5 * cm, width - 3 * cm, height - 3 * cm)

    centre = width / 2
    text_width = width - 6 * cm
    c.setFillColor(navy)
    c.setFont("Helvetica-Bold", 16)
    c.drawCentredString(centre, height - 3.2 * cm, issuer.upper())
    c.setFont("Helvetica-Bold", 30)
    c.drawCentredString(centre, height - 5 * cm, _("Certificate of attendance"))

    c.setFillColor(HexColor("#1c2833"))
    c.setFont("Helvetica", 14)
    c.drawCentredString(centre, height - 6.6 * cm, _("The council certifies that"))
    size = _fit(c, name, "Helvetica-Bold", 26, text_width)
    c.setFont("Helvetica-Bold", size)
    c.drawCentredString(centre, height - 8 * cm, name)
    c.setFont("Helvetica", 14)
    c.drawCentredString(centre, height - 9.3 * cm, _("attended the preventive training"))
    size = _fit(c, f"“{topic}”", "Helvetica-Bold", 18, text_width)
    c.setFont("Helvetica-Bold", size)
    c.drawCentredString(centre, height - 10.5 * cm, f"“{topic}”")

    c.setFont("Helvetica", 13)
    when = _("held on %(date)s, %(hours)s hours") % {
        "date": formats.date_format(day, "j \\d\\e F \\d\\e Y"),
        "hours": hours_text(hours),
    }
    if place:
        when += " · " + place
    c.setFont("Helvetica", _fit(c, when, "Helvetica", 13, text_width))
    c.drawCentredString(centre, height - 11.7 * cm, when)
    if institutions:
        given_by = _("Given by: %(institutions)s") % {"institutions": ", ".join(institutions)}
        size = _fit(c, given_by, "Helvetica", 13, text_width)
        c.setFont("Helvetica", size)
        c.drawCentredString(centre, height - 12.7 * cm, given_by)

    # Verification block, bottom right: the QR, the code and the address it encodes.
    qr_size = 3.6 * cm
    _draw_qr(c, verify_url, width - 2.2 * cm - qr_size, 2.1 * cm, qr_size)
    c.setFillColor(HexColor("#1c2833"))
    c.setFont("Helvetica", 10)
    right = width - 2.6 * cm - qr_size
    c.drawRightString(right, 4.6 * cm, _("Verification code"))
    c.setFont("Courier-Bold", 16)
    c.drawRightString(right, 3.9 * cm, code)
    c.setFont("Helvetica", 8)
    c.drawRightString(right, 3.2 * cm, verify_url)
    c.drawRightString(right, 2.7 * cm, _("Issued on %(date)s") % {"date": formats.date_format(issued_on, "d/m/Y")})

    c.showPage()
    c.save()
    return out.getvalue()


def attendance_pdf(attendance, *, verify_url: str) -> bytes:
    """The certificate of one attendance that has a code (see services.training.issue_certificates)."""
    training = attendance.training
    activity = training.activity
    return certificate_pdf(
        name=str(attendance.person),
        topic=training.topic,
        day=timezone.localtime(activity.starts_at).date(),
        hours=training.hours,
        institutions=institutions_of(training),
        code=attendance.certificate_code,
        verify_url=verify_url,
        issued_on=timezone.localtime(attendance.certificate_issued_at or timezone.now()).date(),
        place=activity.place.name if activity.place else "",
    )
