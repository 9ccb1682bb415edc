"""Spanish first: the interface speaks es-EC unless the user chose another language (the language cookie set by
the switcher). Browsers' Accept-Language is ignored on purpose: council computers often run English-language
systems, and the council works in Spanish."""

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse, QueryDict
from django.http.request import RawPostDataException
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from centinela.lib.api_errors import HTTP_MESSAGES


class SpanishFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class ApiMethodNotAllowedMiddleware:
    """django-ninja answers a method an address does not take (DELETE on a list) with its own plain-text "Method not
    allowed", outside the API's exception handlers: the API answers it as every other refusal, JSON with a detail in
    the user's language, and the Allow header kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        json = response.get("Content-Type", "").startswith("application/json")
        if response.status_code == 405 and request.path.startswith("/api/") and not json:
            answer = JsonResponse({"detail": str(HTTP_MESSAGES[405])}, status=405)
            if response.has_header("Allow"):
                answer["Allow"] = response["Allow"]
            return answer
        return response


# --- NUL characters in the input ------------------------------------------------------------------------------------
# PostgreSQL cannot store or compare a text with a NUL character (U+0000): a query with one raises DataError, a 500,
# where SQLite answers. Every request is read here once, before any view: a NUL in the address, the query string, a
# form or a JSON body is refused with a 400 in Spanish. Apps whose clients read another error format (Open311) give
# their answer for their prefix with `register_nul_refusal`.

NUL = "\x00"
_NUL_REFUSALS: dict[str, Callable[[HttpRequest, str], HttpResponse]] = {}


def nul_message() -> str:
    return _("The request carries a NUL character (U+0000), which no text here may hold: remove it and try again.")


def register_nul_refusal(prefix: str, answer: Callable[[HttpRequest, str], HttpResponse]) -> None:
    """`answer(request, message)` is the refusal of the requests whose path starts with `prefix`."""
    _NUL_REFUSALS[prefix] = answer


def _carries_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_carries_nul(k) or _carries_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_carries_nul(v) for v in value)
    return False


def _query_carries_nul(query: QueryDict) -> bool:
    return any(NUL in key or any(NUL in v for v in values) for key, values in query.lists())


def request_carries_nul(request: HttpRequest) -> bool:
    """True when the path, the query string, a form-encoded body or a JSON body holds a NUL. Multipart bodies are left
    to the views (Django's form fields already refuse a NUL), so uploads are not read twice."""
    if NUL in request.path_info or _query_carries_nul(request.GET):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    if content_type not in ("application/x-www-form-urlencoded", "application/json", "text/xml", "application/xml"):
        return False
    try:
        body = request.body
    except (RequestDataTooBig, RawPostDataException):
        return False  # the view answers as it does for any body too big
    if b"\x00" in body:
        return True
    if content_type == "application/x-www-form-urlencoded":
        return _query_carries_nul(QueryDict(body, encoding=request.encoding))
    if content_type == "application/json":
        try:
            return _carries_nul(json.loads(body))
        except ValueError:
            return False  # unreadable JSON: the view says so
    return b"&#0;" in body or b"&#x0;" in body.lower()


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_carries_nul(request):
            return self.get_response(request)
        with translation.override(settings.LANGUAGE_CODE):
            message = nul_message()
            for prefix, answer in _NUL_REFUSALS.items():
                if request.path_info.startswith(prefix):
                    return answer(request, message)
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(render_to_string("400.html", {"message": message}, request=request))
