"""Every list's filters say "Todos" for no choice (issue 13): never django-filter's "---------" nor "Desconocido",
in every filter set of every app, rendered as the pages render them for a user who sees everything."""

import importlib
import pkgutil
import re

import django_filters
import pytest
from django.apps import apps
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def all_filtersets():
    for config in apps.get_app_configs():
        if not config.name.startswith("centinela."):
            continue
        for module in _filter_modules(config):
            yield from _filtersets_of(module)


def _filter_modules(config):
    """The app's `filters` module or package, and those of its areas (e.g. participation.committees.filters)."""
    for info in pkgutil.walk_packages(config.module.__path__, f"{config.name}."):
        if info.name.rsplit(".", 1)[-1] == "filters" or ".filters." in info.name:
            yield importlib.import_module(info.name)


def _filtersets_of(module):
    for name in dir(module):
        value = getattr(module, name)
        if (
            isinstance(value, type)
            and issubclass(value, django_filters.FilterSet)
            and value.__module__ == module.__name__
            and value._meta.model is not None
        ):
            yield value


def test_there_are_filter_sets_to_check():
    names = {f.__name__ for f in all_filtersets()}
    assert len(names) >= 15 and {"PublicReportFilter", "AuditFilter", "CommitteeFilter", "AgreementFilter"} <= names


@pytest.mark.parametrize("filterset_class", list(all_filtersets()), ids=lambda f: f.__name__)
def test_the_empty_choice_of_every_filter_reads_todos(filterset_class, users):
    request = RequestFactory().get("/")
    request.user = users["admin"]
    filterset = filterset_class({}, queryset=filterset_class._meta.model.objects.none(), request=request)
    html = str(filterset.form)
    assert "---------" not in html
    assert "Desconocido" not in html
    if "<select" in html:
        assert re.search(r'<option value="(|unknown)"( selected)?>Todos</option>', html), html
