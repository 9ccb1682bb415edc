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

from centinela.lib.archives import UnsafeArchive, check_zip

PHOTO_FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "WEBP": ("image/webp", ".webp")}
# Phones often save a photo as a multi-picture JPEG (MPO: the photo, then a preview or a second lens's picture);
# Pillow opens it as "MPO". It is kept as a plain JPEG of its first picture (re-encoded like any photo).
PHOTO_ALIASES = {"MPO": "JPEG"}
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


def _too_many_pixels(image) -> str:
    limit = settings.IMAGE_MAX_PIXELS
    if image is None:
        return _("The image is too large (more than %(max)s megapixels).") % {"max": f"{limit / 1e6:g}"}
    width, height = image.size
    return _(
        "The image is too large (%(width)s x %(height)s pixels, %(mp)s megapixels; at most %(max)s megapixels)."
    ) % {"width": width, "height": height, "mp": f"{width * height / 1e6:.1f}", "max": f"{limit / 1e6:g}"}


def check_pixels(image) -> None:
    """Refuse an opened (not yet decoded) image larger than IMAGE_MAX_PIXELS: a decompression bomb, a few
    kilobytes that decode to gigabytes of memory."""
    width, height = image.size
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise ValidationError(_too_many_pixels(image))


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
        image = Image.open(io.BytesIO(data))  # reads the header only: the size is known before decoding
    except (UnidentifiedImageError, OSError):
        image = None
    except Image.DecompressionBombError as exc:  # past twice Pillow's own limit: never decoded
        raise ValidationError(_too_many_pixels(None)) from exc
    if image is not None:
        check_pixels(image)
        try:
            image.load()
        except Image.DecompressionBombError as exc:
            raise ValidationError(_too_many_pixels(None)) from exc
        except OSError:
            image = None
    opened = (image.format or "") if image is not None else ""
    fmt = PHOTO_ALIASES.get(opened, opened)
    if image is not None and fmt in PHOTO_FORMATS:
        content_type, suffix = PHOTO_FORMATS[fmt]
        picture: Image.Image = image
        if opened != fmt:  # MPO: its first picture alone, as a single-frame image
            image.seek(0)
            picture = image.copy()
        clean = ImageOps.exif_transpose(picture)  # keep the orientation the photographer saw, then drop all metadata
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
                try:  # an office document is a zip archive: a zip bomb is refused before anyone opens it
                    check_zip(io.BytesIO(data))
                except UnsafeArchive as exc:
                    raise ValidationError(_("The file cannot be accepted: %(e)s.") % {"e": exc}) from exc
                suffix = "." + uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
                if suffix not in OFFICE_SUFFIXES:
                    break
                content_type = OFFICE_SUFFIXES[suffix]
            return CheckedFile(ContentFile(data, name=base + suffix), content_type, len(data))
    raise ValidationError(
        _("Files of this type are not accepted. Accepted: photos (JPEG, PNG, WebP), PDF, DOCX, XLSX, ODT, ODS.")
    )
