"""reverse(), remembered. Django's reverse() costs about 50 µs a call here (it reads the language, the URL
configuration and the script prefix from asgiref locals, looks the name up in per-language dictionaries and checks
the result against the pattern's regular expression): a list page reverses some 80 URLs (the menu's links, each
row's detail link), the camera dashboard over 100, a sixth of their time (issue 10's web load). The same arguments
always give the same URL for a given URL configuration, language and script prefix, so the answer is kept under
those, and the `{% url %}` tag of every template (a builtin library, settings.TEMPLATES) and the models'
get_absolute_url use it.

What a URL depends on is all in the key: the resolver object itself (a new one after `override_settings(ROOT_URLCONF)`
or `clear_url_caches()`, so tests that change the URL configuration never see an old answer), the view name, the
arguments, the current application (namespaced URLs), the language (only when the configuration has a language
prefix or a translated route: see _translated) and the script prefix. A name that does not
reverse is remembered too (the menu asks for areas that may not be installed). The memory is bounded: past
MAX_ENTRIES the whole memory is dropped and refilled."""

from __future__ import annotations

import functools

from django import template
from django.template import defaulttags
from django.urls import LocalePrefixPattern, NoReverseMatch, URLResolver, get_resolver, get_script_prefix, get_urlconf
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
        resolver = get_resolver(urlconf or get_urlconf())
        key = (
            viewname,
            resolver,
            tuple(args) if args else (),
            tuple(sorted(kwargs.items())) if kwargs else (),
            current_app,
            get_language() if _translated(resolver) else None,
            get_script_prefix(),
        )
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


@functools.cache
def _translated(resolver) -> bool:
    """Whether the URL configuration's answers may depend on the language: a language prefix (i18n_patterns) or a
    translated (lazy) route anywhere in it. Where none is, the language is no part of the key: reading it cost a
    third of a remembered reverse() (an asgiref local), some 30 times a page. Kept per resolver object (a new one
    for a new URL configuration)."""

    def walk(patterns) -> bool:
        for entry in patterns:
            pattern = entry.pattern
            if isinstance(pattern, LocalePrefixPattern):
                return True
            if not isinstance(getattr(pattern, "_route", getattr(pattern, "_regex", "")), str):
                return True
            if isinstance(entry, URLResolver) and walk(entry.url_patterns):
                return True
        return False

    return walk(resolver.url_patterns)


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
