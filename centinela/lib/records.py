"""Saving a record the one way services do it: the permission check, the model's own validation, then the save."""

from centinela.accounts.permissions import require


def save_checked(user, obj, check=None):
    """Create or update `obj` for `user`; `check(obj)` may raise a ValidationError for rules beyond the model's."""
    require(user, "change" if obj.pk else "add", obj)
    if check:
        check(obj)
    obj.full_clean()
    obj.save()
    return obj
