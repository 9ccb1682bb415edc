"""Spanish first: the interface speaks es-EC unless the user chose another language (the language cookie set by
the switcher). Browsers' Accept-Language is ignored on purpose: council computers often run English-language
systems, and the council works in Spanish."""


class SpanishFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
