"""The public form's question: a small sum in words ("How much is seven plus four?") that people answer and form-
filling robots do not, checked with nothing outside the server (no third-party captcha sees the residents).

The page carries a signed token: a random nonce and a keyed hash of nonce and answer (the numbers are never in it),
timestamped, so it expires (PARTICIPATION_CHALLENGE_SECONDS) and cannot be forged. A token answered once is spent:
its nonce is kept in the cache until it expires, so one solved question cannot be replayed for a flood (the address
and contact limits hold the rest). Screen readers read the question as text; no script is needed."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SALT = "centinela.participation.challenge"
NUMBER_WORDS = [
    gettext_lazy("one"),
    gettext_lazy("two"),
    gettext_lazy("three"),
    gettext_lazy("four"),
    gettext_lazy("five"),
    gettext_lazy("six"),
    gettext_lazy("seven"),
    gettext_lazy("eight"),
    gettext_lazy("nine"),
]


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def _digest(nonce: str, answer: int) -> str:
    return salted_hmac(SALT, f"{nonce}:{answer}", algorithm="sha256").hexdigest()


def new() -> Challenge:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    nonce = secrets.token_urlsafe(12)
    token = signing.TimestampSigner(salt=SALT).sign(f"{nonce}:{_digest(nonce, a + b)}")
    question = _("How much is %(a)s plus %(b)s?") % {"a": NUMBER_WORDS[a - 1], "b": NUMBER_WORDS[b - 1]}
    return Challenge(question=question, token=token)


class Failed(Exception):
    """The answer is missing, wrong, late or used before; the message says which, for the visitor."""


def check(token: str, answer: str) -> None:
    """Raise Failed unless `answer` answers the question of `token`, within its time and for the first time."""
    answer = (answer or "").strip()
    if not answer:
        raise Failed(_("Answer the question, in numbers."))
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token or "", max_age=settings.PARTICIPATION_CHALLENGE_SECONDS)
    except signing.SignatureExpired as exc:
        raise Failed(_("The question expired: answer the new one.")) from exc
    except signing.BadSignature as exc:
        raise Failed(_("Answer the question again.")) from exc
    nonce, _sep, digest = value.partition(":")
    if not answer.isdigit() or not hmac.compare_digest(digest, _digest(nonce, int(answer))):
        raise Failed(_("That is not the answer: look at the new question."))
    if not cache.add(f"{SALT}:used:{nonce}", 1, settings.PARTICIPATION_CHALLENGE_SECONDS):
        raise Failed(_("That question was already answered: answer the new one."))
