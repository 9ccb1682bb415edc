"""Fill locale/es/LC_MESSAGES/django.po from the tables in scripts/translations/es_*.py (one per area, so areas
are reviewed and edited apart), after `manage.py makemessages -l es`. Prints what is still untranslated.

    make translations
"""
import importlib.util
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def tables():
    es, plurals = {}, {}
    for path in sorted((ROOT / "scripts" / "translations").glob("es_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        es.update(getattr(module, "ES", {}))
        plurals.update(getattr(module, "PLURALS", {}))
    return es, plurals


def main():
    es, plurals = tables()
    path = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path))
    po.metadata["Language"] = "es"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    missing = []
    for entry in po:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
        if entry.msgid_plural:
            if entry.msgid in plurals:
                entry.msgstr_plural = {0: plurals[entry.msgid][0], 1: plurals[entry.msgid][1]}
            else:
                entry.msgstr_plural = {0: "", 1: ""}
                missing.append(entry.msgid)
        elif entry.msgctxt and f"{entry.msgctxt}\x04{entry.msgid}" in es:  # context: ES["context\x04msgid"]
            entry.msgstr = es[f"{entry.msgctxt}\x04{entry.msgid}"]
        elif not entry.msgctxt and entry.msgid in es:
            entry.msgstr = es[entry.msgid]
        else:
            entry.msgstr = ""
            missing.append(entry.msgid)
    po.save()
    if missing:
        print("untranslated:", *missing, sep="\n  ")


if __name__ == "__main__":
    main()
