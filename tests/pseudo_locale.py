"""A pseudo-locale for finding English that reaches a Spanish-speaking user (issue 13, item 1).

While `marked_translations()` is active every string that goes through the Spanish catalogue comes out between
two private-use marks: TRANSLATED ... END when the catalogue has it, UNTRANSLATED ... END when it does not (the
English source text is shown). `english_in(html)` then takes the text a user sees on a page (text nodes and the
attributes a browser shows: placeholder, title, aria-label, alt, button values, confirmation prompts), cuts out the
translated parts and returns what is left that reads as English: any part that went through gettext untranslated,
and any unmarked word of the interface's English vocabulary (the words of the catalogue's English source texts that
its Spanish translations never use). Records' own text (names, descriptions) is Spanish in the demo and passes.
"""

from __future__ import annotations

import contextlib
import json
import re
from functools import cache
from pathlib import Path

import lxml.html
import polib
from django.utils.translation import trans_real

TRANSLATED, UNTRANSLATED, END = "\ue000", "\ue001", "\ue002"
MARKS = TRANSLATED + UNTRANSLATED + END
ROOT = Path(__file__).resolve().parents[1]
WORD = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ]+")
ADDRESS = re.compile(r"\S+@\S+|\b\w+://\S+")
# A code mixing letters and digits (a certificate's "PAY9Q2Q9RK", a camera's "CAM-07"): the records' own, not words.
CODE = re.compile(r"\b(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]+\b")
SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt", "hx-confirm", "data-confirm", "data-title")
# Words that read the same to a Spanish-speaking user (product, format and protocol names) or are demo data.
NOT_ENGLISH = {
    "csv", "xlsx", "pdf", "docx", "json", "geojson", "kml", "gpx", "html", "url", "api", "open", "rtsp", "onvif",
    "http", "https", "ecu", "gad", "qr", "id", "ok", "email", "online", "offline", "dask", "numba", "wifi", "totp",
    "django", "admin", "leaflet", "openstreetmap", "osm", "inec", "cpccs", "lopdp", "twilio", "whatsapp", "sms",
}  # fmt: skip


def _mark(text, translated):
    return (TRANSLATED if translated else UNTRANSLATED) + text + END


def _in_catalogue(translation, message, plural=False):
    catalogue = translation._catalog
    return catalogue is not None and ((message, 0) if plural else message) in catalogue


@contextlib.contextmanager
def marked_translations():
    """Every Spanish translation marked (see the module's text). Caches that keep rendered text are emptied on the
    way in and out, so nothing rendered before leaks unmarked text in, or marked text out."""
    from django.core.cache import caches

    from centinela.lib import i18n

    original_gettext = trans_real.DjangoTranslation.gettext
    original_ngettext = trans_real.DjangoTranslation.ngettext

    def gettext(self, message):
        result = original_gettext(self, message)
        if not self.language().startswith("es") or "\x04" in result:
            return result  # pgettext tells an untranslated message by the context separator left in it
        return _mark(result, _in_catalogue(self, message))

    def ngettext(self, singular, plural, number):
        result = original_ngettext(self, singular, plural, number)
        if not self.language().startswith("es") or "\x04" in result:
            return result
        return _mark(result, _in_catalogue(self, singular, plural=True))

    def forget():
        i18n._remembered.clear()
        for store in caches.all(initialized_only=True):
            store.clear()

    forget()
    trans_real.DjangoTranslation.gettext = gettext
    trans_real.DjangoTranslation.ngettext = ngettext
    try:
        yield
    finally:
        trans_real.DjangoTranslation.gettext = original_gettext
        trans_real.DjangoTranslation.ngettext = original_ngettext
        forget()


@cache
def english_vocabulary() -> frozenset[str]:
    """Words of the catalogue's English source texts that its Spanish translations never use."""
    po = polib.pofile(str(ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    english, spanish = set(), set()
    for entry in po:
        if entry.obsolete:
            continue
        english.update(w.lower() for w in WORD.findall(re.sub(r"%\(\w+\)[sd]|\{\w*\}", " ", entry.msgid)))
        english.update(w.lower() for w in WORD.findall(entry.msgid_plural or ""))
        spanish.update(w.lower() for w in WORD.findall(entry.msgstr))
        for text in entry.msgstr_plural.values():
            spanish.update(w.lower() for w in WORD.findall(text))
    return frozenset(w for w in english - spanish - NOT_ENGLISH if len(w) > 2)


def shown_texts(html: str) -> list[str]:
    """The texts a browser shows of a page: text nodes (not scripts, styles or templates) and shown attributes."""
    tree = lxml.html.fromstring(html)
    # Scripts, styles and templates are not shown; text in another language says so (lang="en": the language
    # switcher's "English", the titles of English papers cited) and is read as such.
    for dropped in tree.xpath("//script|//style|//template|//*[@lang][not(starts-with(@lang, 'es'))]"):
        dropped.drop_tree()
    texts = [t for t in tree.xpath("//text()") if t.strip()]
    for attribute in SHOWN_ATTRIBUTES:
        texts.extend(tree.xpath(f"//@{attribute}"))
    texts.extend(tree.xpath("//input[@type='submit' or @type='button' or @type='reset']/@value"))
    return texts


def json_texts(payload) -> list[str]:
    """The messages of a JSON answer: the strings under the keys an API uses for what a person reads."""
    found = []

    def walk(value, key=None):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key in ("detail", "message", "msg", "error", "errors", "title", "description"):
            found.append(value)

    walk(payload)
    return found


def english_parts(text: str) -> list[str]:
    """What reads as English in one shown text: untranslated gettext output, and unmarked interface words."""
    problems = []
    for untranslated in re.findall(UNTRANSLATED + "([^" + END + "]*)" + END, text):
        problems.append(f"untranslated: {untranslated!r}")
    unmarked = re.sub(f"[{TRANSLATED}{UNTRANSLATED}][^{END}]*{END}", " ", text)
    unmarked = unmarked.replace(END, " ")  # a mark left by nested translations
    unmarked = ADDRESS.sub(" ", unmarked)  # e-mail addresses and URLs are the records' own
    unmarked = CODE.sub(" ", unmarked)
    vocabulary = english_vocabulary()
    words = [w for w in WORD.findall(unmarked) if w.lower() in vocabulary]
    if words:
        problems.append(f"not translated through the catalogue: {' '.join(words)!r} in {unmarked.strip()[:120]!r}")
    return problems


def english_in(response) -> list[str]:
    """English a user would meet in this response (HTML page or JSON answer); [] for other content."""
    kind = response.get("Content-Type", "")
    if getattr(response, "streaming", False):
        return []
    body = response.content.decode("utf-8", "replace")
    if kind.startswith("text/html"):
        texts = shown_texts(body) if body.strip() else []
    elif "json" in kind:
        try:
            texts = json_texts(json.loads(body))
        except ValueError:
            return []
    else:
        return []
    return [problem for text in texts for problem in english_parts(text)]
