"""Every list's search is case- and accent-insensitive, in the database, on SQLite and PostgreSQL (issue 13, item 2):
"fumigacion" finds "Fumigación", "PUNZARA" finds "Punzara", "nino" finds "Niño" (ñ folds to n: `lib.search`)."""

import importlib
import pkgutil

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import CharField, TextField
from django.test import RequestFactory

import centinela
from centinela.lib import search
from centinela.lib.filters import SearchFilterSet
from centinela.territory.models import Parish, Place
from centinela.territory.selectors import parishes_for


def _place(name, **kw):
    return Place.objects.create(name=name, lon=-79.2, lat=-4.0, **kw)


def _search(filterset_class, queryset, text, user):
    request = RequestFactory().get("/", {"q": text})
    request.user = user
    return set(filterset_class({"q": text}, queryset=queryset, request=request).qs)


def test_fold_table_is_one_to_one():
    assert len(search.ACCENTED) == len(search.PLAIN)
    assert search.fold("Fumigación NIÑO Güiró çA") == "fumigacion nino guiro ca"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("fumigacion", "Fumigación del mercado"),
        ("FUMIGACIÓN", "fumigacion del mercado"),
        ("PUNZARA", "Parque de Punzara"),
        ("nino", "Escuela Niño Jesús"),
        ("NIÑO JESUS", "Escuela nino jesús"),
        ("pinguino", "Parque El Pingüino"),
    ],
)
def test_place_list_search_folds_case_and_accents(typed, stored, users):
    from centinela.territory.filters import PlaceFilter

    wanted = _place(stored)
    _place("Otro lugar")
    assert _search(PlaceFilter, Place.objects.all(), typed, users["admin"]) == {wanted}


@pytest.mark.django_db
def test_parish_search_finds_punzara_and_san_sebastian(users):
    assert {p.name for p in parishes_for(users["admin"], search="PUNZARA")} == {"Punzara"}
    assert {p.name for p in parishes_for(users["admin"], search="san sebastian")} == {"San Sebastián"}


@pytest.mark.django_db
def test_like_wildcards_typed_are_plain_text(users):
    from centinela.territory.filters import PlaceFilter

    _place("Parque 100% Loja")
    _place("Parque 1000 Loja")
    _place("Calle_1")
    _place("Calle 1")
    assert {p.name for p in _search(PlaceFilter, Place.objects.all(), "100%", users["admin"])} == {"Parque 100% Loja"}
    assert {p.name for p in _search(PlaceFilter, Place.objects.all(), "calle_", users["admin"])} == {"Calle_1"}


@pytest.mark.django_db
def test_the_database_folds_as_python_does():
    """The SQL function (SQLite) and translate() (PostgreSQL) give the very text `fold` gives."""
    text = "ÁÉÍÓÚ áéíóú Ññ Üü Çç ÀÈÌÒÙ âêîôû Loja"
    parish = Parish.objects.order_by("pk").first()
    got = Parish.objects.filter(pk=parish.pk).annotate(f=search.Fold(search.models.Value(text))).values_list("f")
    assert got.get()[0] == search.fold(text)
    assert connection.vendor in ("sqlite", "postgresql")


@pytest.mark.django_db
def test_shipped_categories_found_without_accents():
    from centinela.incidents.models import Category

    category = Category.objects.filter(name__contains="ó").order_by("pk").first()
    assert category is not None
    assert category in Category.objects.filter(name__search=search.fold(category.name).upper())
    assert not Category.objects.filter(name__search=category.name + "xyz").exists()


def _all_modules():
    for info in pkgutil.walk_packages(centinela.__path__, "centinela."):
        if ".tests" in info.name or info.name.endswith((".migrations", "settings", "wsgi", "asgi")):
            continue
        if ".migrations." in info.name or ".management." in info.name:
            continue
        importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_list_search_goes_through_the_one_lookup():
    """Every SearchFilterSet searches with `lib.search` (its own `search` may add to it, never replace it), over text
    fields the lookup is registered on."""
    _all_modules()
    filtersets = [
        c
        for c in _subclasses(SearchFilterSet)
        if c.__module__.startswith("centinela.") and ".tests" not in c.__module__
    ]
    assert len(filtersets) >= 15
    for cls in filtersets:
        assert cls.search is SearchFilterSet.search or "super().search" in _source(cls.search), cls
        model = cls._meta.model
        for path in cls.search_fields:
            field = _resolve(model, path)
            assert isinstance(field, (CharField, TextField)), f"{cls.__name__}.{path}"
            assert "search" in field.get_lookups(), f"{cls.__name__}.{path}"
    assert apps.ready


def _source(func):
    import inspect

    return inspect.getsource(func)


def _resolve(model, path):
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


@pytest.mark.django_db
def test_the_other_searches_fold_too(users):
    """The searches outside the lists' filters: people at a training, the audit trail's user."""
    from centinela.accounts.filters import AuditFilter
    from centinela.activities.models import Person
    from centinela.activities.selectors.training import search_people

    person = Person.objects.create(first_names="José Niño", last_names="Muñoz Ordóñez")
    assert list(search_people(users["admin"], "jose MUNOZ")) == [person]
    assert list(search_people(users["admin"], "ordonez nino")) == [person]
    assert AuditFilter.base_filters["actor__username"].lookup_expr == "search"
