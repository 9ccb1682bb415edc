"""Zip archives users upload (zipped Shapefiles, XLSX workbooks, office documents) checked before anything is
extracted or parsed: at most ARCHIVE_MAX_MEMBERS members and ARCHIVE_MAX_EXPANDED_MB once expanded, so a zip
bomb (a small file that expands to gigabytes) is refused with a message instead of filling the disk or the memory
of the worker. Python's zipfile never expands a member beyond the size its directory declares, so checking the
declared sizes bounds what a reader built on it (openpyxl) can produce."""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

ZIP_MAGIC = b"PK\x03\x04"


class UnsafeArchive(ValueError):
    """A zip archive refused before reading; the message is for the user (translated)."""


def is_zip(path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(4) == ZIP_MAGIC


def check_zip(source) -> None:
    """Raise UnsafeArchive when the zip archive `source` (a path or an open binary file) has more members or
    expands to more bytes than the settings allow, or is no readable zip archive."""
    max_members = settings.ARCHIVE_MAX_MEMBERS
    max_bytes = settings.ARCHIVE_MAX_EXPANDED_BYTES
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnsafeArchive(_("it is a damaged compressed file: %(e)s") % {"e": exc}) from exc
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    if len(members) > max_members:
        raise UnsafeArchive(
            _("the compressed file holds %(n)s files; at most %(max)s are accepted")
            % {"n": len(members), "max": max_members}
        )
    expanded = sum(m.file_size for m in members)
    if expanded > max_bytes:
        raise UnsafeArchive(
            _("the compressed file expands to %(size).0f MB; at most %(max).0f MB are accepted (is it a zip bomb?)")
            % {"size": expanded / 1e6, "max": max_bytes / 1e6}
        )
