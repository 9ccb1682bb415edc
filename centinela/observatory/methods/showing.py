"""How the result pages write the figures of a summary: in the page's language (es-EC: 1.234,5), shares as
percentages. Shared by the views and the methods' summaries."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _


def format_figure(value, digits=3):
    """A figure in the page's language (es-EC: 1.234,5)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return formats.number_format(round(value, digits), use_l10n=True, force_grouping=abs(value) >= 10_000)
    return value


def format_percent(value):
    return "—" if value is None else f"{formats.number_format(round(100 * float(value), 1), 1, use_l10n=True)} %"
