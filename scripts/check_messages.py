"""The Spanish catalogue (locale/es/LC_MESSAGES/django.po) is the one source of the interface's Spanish: it is
edited directly. `make messages` extracts the strings of the code into it (`manage.py makemessages`, which needs
GNU gettext's xgettext), then this script fails, listing them, while any entry is untranslated or fuzzy (a
changed English string whose Spanish gettext only guessed): English must never leak into the interface."""

import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "es" / "LC_MESSAGES" / "django.po"


def problems(path: Path = CATALOGUE) -> list[str]:
    po = polib.pofile(str(path))
    found = [
        f"untranslated: {e.msgid!r}" + (f" (context {e.msgctxt!r})" if e.msgctxt else "")
        for e in po.untranslated_entries()
        if not e.obsolete
    ]
    found += [f"fuzzy: {e.msgid!r} -> {e.msgstr or e.msgstr_plural!r}" for e in po.fuzzy_entries() if not e.obsolete]
    return found


def main() -> int:
    found = problems()
    if found:
        print(
            f"{CATALOGUE.relative_to(CATALOGUE.parents[3])}: {len(found)} entries to translate or review "
            "(edit the Spanish, remove the fuzzy flag):",
            *found,
            sep="\n  ",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
