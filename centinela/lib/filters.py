"""The base of every list's filters: a search box over `search_fields` (case- and accent-insensitive, `lib.search`),
with every date kept in range."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from centinela.lib.dates import DatePicker, bound_dates
from centinela.lib.search import matches

ALL = _("All")


def say_all(filterset) -> None:
    """Every yes/no filter's empty choice reads "Todos" (django-filter's own says "Desconocido"); the other
    filters' empty choice comes from FILTERS_EMPTY_CHOICE_LABEL (settings)."""
    for field in filterset.form.fields.values():
        if isinstance(field, forms.NullBooleanField):
            field.widget.choices = [("unknown", ALL), ("true", _("Yes")), ("false", _("No"))]


class DateRangePicker(django_filters.widgets.DateRangeWidget):
    """A from-to range of django-filter (NAME_after and NAME_before, or the suffixes given, e.g. min and max), each end
    a DatePicker: the second opens on the first's month and the first on the second's."""

    def __init__(self, attrs=None, suffixes=None):
        if suffixes:
            self.suffixes = list(suffixes)
        django_filters.widgets.SuffixedMultiWidget.__init__(self, (DatePicker(), DatePicker()), attrs)


class SearchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"})
    )
    search_fields: tuple[str, ...] = ("name",)

    @property
    def form(self):
        """The filter form with every date kept in range: a year 99999 is a form error, not a 500 (lib.dates)."""
        if not hasattr(self, "_form"):
            bound_dates(super().form)
            say_all(self)
        return self._form

    def search(self, queryset, name, value):
        """Rows where any search field contains the words typed, case and accents aside (`lib.search`)."""
        return queryset.filter(matches(self.fields_to_search(), value))

    def fields_to_search(self) -> tuple[str, ...]:
        """The fields this user's search reads: `search_fields`, less any the user may not read (a list whose rows
        hold such a field overrides this; searching a field one cannot see tells what it holds)."""
        return self.search_fields
