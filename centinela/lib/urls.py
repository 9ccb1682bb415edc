"""reverse(), remembered. Django's reverse() costs about 50 µs a call here (it reads the language, the URL
configuration and the script prefix from asgiref locals, looks the name up in per-language dictionaries and checks
the result against the pattern's regular expression): a list page reverses some 80 URLs (the menu's links, each
row's detail link), the camera dashboard over 100, a sixth of their time (issue 10's web load). The same arguments
always give the same URL for a given URL configuration, language and script prefix, so the answer is kept under
those, and the `{% url %}` tag of every template (a builtin library, settings.TEMPLATES) and the models'
get_absolute_url use it.

What a URL depends on is all in the key: the resolver object itself (a new one after `override_settings(ROOT_URLCONF)`
or `clear_url_caches()`, so tests that change the URL configuration never see an old answer), the view name, the
arguments, the current application (namespaced URLs), the language and the script prefix. A name that does not
reverse is remembered too (the menu asks for areas that may not be installed). The memory is bounded: past
MAX_ENTRIES the whole memory is dropped and refilled."""
from __future__ import annotations

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

MAX_ENTRIES = 50_000
_remembered: dict = {}


class _NoMatch(str):
    """A remembered NoReverseMatch: its message (a fresh exception is raised each time)."""


def reverse(viewname, urlconf=None, args=None, kwargs=None, current_app=None, *, query=None, fragment=None):
    """django.urls.reverse, remembered (same arguments, same answers, same NoReverseMatch)."""
    if not isinstance(viewname, str) or query is not None or fragment is not None:
        return django_reverse(viewname, urlconf, args, kwargs, current_app, query=query, fragment=fragment)
    try:
        key = (viewname, get_resolver(urlconf or get_urlconf()), tuple(args) if args else (),
               tuple(sorted(kwargs.items())) if kwargs else (), current_app, get_language(), get_script_prefix())
        answer = _remembered.get(key)
    except TypeError:  # an argument that cannot be a key (unhashable): Django's own way
        return django_reverse(viewname, urlconf, args, kwargs, current_app)
    if answer is None:
        try:
            answer = django_reverse(viewname, urlconf, args, kwargs, current_app)
        except NoReverseMatch as exc:
            answer = _NoMatch(str(exc))
        if len(_remembered) >= MAX_ENTRIES:
            _remembered.clear()
        _remembered[key] = answer
    if type(answer) is _NoMatch:
        raise NoReverseMatch(answer)
    return answer


register = template.Library()


class URLNode(defaulttags.URLNode):
    """Django's {% url %} node, with the remembered reverse()."""

    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """{% url %} exactly as Django parses it (defaulttags.url), rendered with the remembered reverse()."""
    node = defaulttags.url(parser, token)
    return URLNode(node.view_name, node.args, node.kwargs, node.asvar)
