"""The audit trail's masking of personal data (django-auditlog's mask_callable). The library's default keeps the second
half of a value (`*****12233`): enough of a phone or an e-mail to find its owner. Here nothing of it is kept, not even
its length: an empty value stays empty (the trail still tells a contact given from one erased), any other becomes
MASK."""

MASK = "*****"
MASK_CALLABLE = "centinela.lib.audit.mask_all"


def mask_all(value: str) -> str:
    return "" if value in ("", "None", None) else MASK


def scrub(entries, fields) -> int:
    """Mask `fields` in the recorded changes of `entries` (a LogEntry queryset) written before the masking was full,
    or with the values themselves: the retention rule erases a contact from the trail too. Returns the entries
    changed."""
    changed = 0
    for entry in entries.only("pk", "changes"):
        changes = entry.changes if isinstance(entry.changes, dict) else None
        if not changes or not any(f in changes for f in fields):
            continue
        for f in fields:
            if f in changes:
                values = changes[f]
                changes[f] = [mask_all(v) for v in values] if isinstance(values, list) else mask_all(values)
        type(entry).objects.filter(pk=entry.pk).update(changes=changes, changes_text="")
        changed += 1
    return changed
