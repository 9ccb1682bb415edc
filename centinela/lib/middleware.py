"""Spanish first: the interface speaks es-EC unless the user chose another language (the language cookie set by
the switcher). Browsers' Accept-Language is ignored on purpose: council computers often run English-language
systems, and the council works in Spanish."""

from django.http import JsonResponse

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
