"""Django's template backend (settings.TEMPLATES), whose check of library names (templates.W003: one name, two
modules) knows the libraries that replace Django's on purpose, registered under Django's names so that every
template's `{% load i18n %}` and `{% load static %}` gets them: lib/i18n.py and lib/static.py (issue 10's web load).
Any other name given to two modules is still reported."""

from __future__ import annotations

from django.template.backends import django

# name -> (Django's module, ours)
REPLACED = {
    "i18n": ("django.templatetags.i18n", "centinela.lib.i18n"),
    "static": ("django.templatetags.static", "centinela.lib.static"),
}


class DjangoTemplates(django.DjangoTemplates):
    def _check_for_template_tags_with_the_same_name(self):
        return [
            warning
            for warning in super()._check_for_template_tags_with_the_same_name()
            if not self._replaced_on_purpose(warning.msg)
        ]

    def _replaced_on_purpose(self, message: str) -> bool:
        for name, (theirs, ours) in REPLACED.items():
            if self.engine.libraries.get(name) == ours and message == (
                f"{name!r} is used for multiple template tag modules: {theirs!r}, {ours!r}"
                if theirs < ours
                else f"{name!r} is used for multiple template tag modules: {ours!r}, {theirs!r}"
            ):
                return True
        return False
