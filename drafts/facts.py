"""What a draft is written from: the facts of one review and the shop's reply policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal


@dataclass(frozen=True, slots=True)
class ReviewFacts:
    """One review or customer mail, as far as a reply needs it. ``key`` is stable per review and
    makes the choice of phrasings reproducible."""

    key: str
    kind: str
    channel: str
    text: str
    author: str | None = None
    title: str | None = None
    rating_norm: float | None = None
    aspects: dict[str, list[str]] = field(default_factory=dict)
    disagreement: bool = False


@dataclass(frozen=True, slots=True)
class Policy:
    """The shop's choices: how it addresses customers, who signs, how fast it promises."""

    shop_name: str
    signature: str
    register: Literal["u", "je"] = "u"
    contact_email: str = ""
    followup_working_days: int = 2
    refund_working_days: int = 5


@dataclass(frozen=True, slots=True)
class ReplyDraft:
    """A suggested reply; ``followup_date`` is the date the reply promises, if any."""

    text: str
    kind: str
    followup_date: date | None = None
