"""What several camera pages share: the cameras and coverage layers of a map, and a download of ready-made text."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from centinela.cameras import selectors


def map_layers(user, devices):
    cams, cover = selectors.camera_layers(user, devices)
    cams["label"] = _("Cameras")
    cover["label"] = _("Coverage")
    return {"coverage": cover, "cameras": cams}


def download(content: str, content_type: str, basename: str, ext: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.{ext}"'
    return response
