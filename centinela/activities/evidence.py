"""Checking evidence files before they reach storage: allowed types by content (not by name), size, and photos
re-encoded without their metadata (EXIF: GPS position, camera serial) so a published photo reveals nothing more."""
from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "WEBP": ("image/webp", ".webp")}
DOCUMENT_SIGNATURES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"PK\x03\x04": ("application/zip", None),  # docx/xlsx/odt are zip containers; the name gives the suffix
}
OFFICE_SUFFIXES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}


@dataclass
class CheckedFile:
    content: ContentFile
    content_type: str
    size: int


def check_upload(uploaded, *, photo: bool) -> CheckedFile:
    if uploaded.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (%(size).1f MB; at most %(max).0f MB).")
            % {"size": uploaded.size / 1e6, "max": settings.EVIDENCE_MAX_BYTES / 1e6}
        )
    data = uploaded.read()
    base = uploaded.name.rsplit("/", 1)[-1].rsplit(".", 1)[0][:80] or "archivo"
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        image = None
    if image is not None and image.format in PHOTO_FORMATS:
        content_type, suffix = PHOTO_FORMATS[image.format]
        fmt = image.format
        clean = ImageOps.exif_transpose(image)  # keep the orientation the photographer saw, then drop all metadata
        clean.info = {}  # EXIF, XMP, ICC, text chunks: nothing of the original's metadata is written back
        out = io.BytesIO()
        clean.save(out, format=fmt, **({"quality": 88} if fmt == "JPEG" else {}))
        data = out.getvalue()
        return CheckedFile(ContentFile(data, name=base + suffix), content_type, len(data))
    if photo:
        raise ValidationError(_("A photo must be a JPEG, PNG or WebP image."))
    for signature, (content_type, suffix) in DOCUMENT_SIGNATURES.items():
        if data.startswith(signature):
            if suffix is None:
                suffix = "." + uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
                if suffix not in OFFICE_SUFFIXES:
                    break
                content_type = OFFICE_SUFFIXES[suffix]
            return CheckedFile(ContentFile(data, name=base + suffix), content_type, len(data))
    raise ValidationError(_("Files of this type are not accepted. Accepted: photos (JPEG, PNG, WebP), PDF, DOCX, XLSX, ODT, ODS."))
