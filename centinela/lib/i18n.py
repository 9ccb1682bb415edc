"""Django's i18n template library ({% load i18n %}), with {% translate "constant text" %} remembered: Django's
TranslateNode makes a lazy translation of its text on every render, evaluates it (the active language read from an
asgiref local twice, the catalogue looked up) and escapes it, some 25 Python calls for a constant; base.html and
the pages have dozens (issue 10's web load). The output of a constant with no filter and no message context depends
only on the language and on autoescaping, and translations do not change while a process runs (Django keeps each
catalogue once loaded), so it is kept under those. Anything else (a variable, a filter, a context) renders as in
Django. The memory is dropped when a setting that changes translations changes (tests). Registered in
settings.TEMPLATES under the name `i18n`, in place of Django's."""

from __future__ import annotations

from django import template
from django.core.signals import setting_changed
from django.templatetags import i18n as django_i18n
from django.utils.translation import get_language

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)

MAX_ENTRIES = 20_000
_remembered: dict = {}


class TranslateNode(django_i18n.TranslateNode):
    def render(self, context):
        expression = self.filter_expression
        var = expression.var
        if self.message_context is not None or expression.filters or getattr(var, "lookups", True) is not None:
            return super().render(context)
        key = (var.literal, self.noop, get_language(), context.autoescape)
        value = _remembered.get(key)
        if value is None:
            asvar, self.asvar = self.asvar, None
            try:
                value = super().render(context)
            finally:
                self.asvar = asvar
            if len(_remembered) >= MAX_ENTRIES:
                _remembered.clear()
            _remembered[key] = value
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


def _translate(parser, token):
    node = django_i18n.do_translate(parser, token)
    return TranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)


register.tag("translate", _translate)
register.tag("trans", _translate)


def _forget(*, setting, **kwargs):
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS", "USE_I18N"):
        _remembered.clear()


setting_changed.connect(_forget)
