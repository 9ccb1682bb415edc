"""Spanish throughout (issue 13, item 1): what the pages, the audit trail and the forms call a field comes from the
catalogue, never from the field's Python name ("Institution", "Created at" on a Spanish page)."""

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import trans_real


def test_every_field_of_our_models_has_a_translated_name():
    spanish = trans_real.translation("es")
    untranslated = []
    for model in apps.get_models():
        if not model.__module__.startswith("centinela."):
            continue
        for field in model._meta.get_fields():
            if (field.auto_created and not field.concrete) or getattr(field, "primary_key", False):
                continue  # the other side of a relation, the automatic key: never shown by their name
            if not isinstance(field.verbose_name, Promise):
                untranslated.append(f"{model._meta.label}.{field.name}")
                continue
            args = getattr(field.verbose_name, "_args", ())
            message = args[0] if len(args) == 1 else f"{args[0]}\x04{args[1]}" if len(args) == 2 else None
            if message is not None and message not in spanish._catalog:
                untranslated.append(f"{model._meta.label}.{field.name} ({message!r} is not in the Spanish catalogue)")
    assert untranslated == []
