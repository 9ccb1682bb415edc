"""Texts of the libraries we use that reach the interface but have no Spanish translation of their own (issue 13,
item 1). Named here so `make messages` keeps them in our catalogue, which Django consults first: their translations
there serve the library's own calls."""

from django.utils.translation import gettext_noop

MESSAGES = [
    # django-axes: the admin pages of its records
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
]
