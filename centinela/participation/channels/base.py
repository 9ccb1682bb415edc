"""The channel interface and its registry (participation.channels says how they are chosen)."""

from __future__ import annotations

from dataclasses import dataclass

CHANNELS: dict[str, Channel] = {}


@dataclass(frozen=True)
class Notice:
    """One notice, in the reporter's language already: a subject and body for e-mail, a short text for messages
    (an SMS segment or two: code, status and the link)."""

    subject: str
    body: str
    short: str


class Channel:
    code = ""
    label = ""

    def configured(self) -> bool:
        raise NotImplementedError

    def address_of(self, report) -> str:
        """The report's address on this channel ("" when it has none)."""
        raise NotImplementedError

    def send(self, address: str, notice: Notice) -> None:
        raise NotImplementedError


def register(cls: type[Channel]) -> type[Channel]:
    CHANNELS[cls.code] = cls()
    return cls
