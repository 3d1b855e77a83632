"""What a draft is written from: the facts of one review and the shop's reply policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Severity = Literal["light", "serious", "severe"]
# What a complaint about an aspect gets besides the apology: a replacement (or the money back, as
# the customer prefers), a refund, or a free return.
Remedy = Literal["replacement", "refund", "free_return"]

SEVERITY_WORDS: dict[str, str] = {"light": "licht", "serious": "ernstig", "severe": "zeer ernstig"}


@dataclass(frozen=True, slots=True)
class Point:
    """One clause the customer wrote, with its score (-1..1) and the aspects it names."""

    text: str
    score: float
    aspects: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReviewFacts:
    """One review or customer mail, as far as a reply needs it. ``key`` is stable per review and
    makes the choice of phrasings reproducible; ``points`` are its clauses, scored one by one;
    ``earlier_contacts`` counts the customer's earlier reviews and mails at this shop."""

    key: str
    kind: str
    channel: str
    text: str
    author: str | None = None
    title: str | None = None
    rating_norm: float | None = None
    score: float = 0.0
    aspects: dict[str, list[str]] = field(default_factory=dict)
    disagreement: bool = False
    points: tuple[Point, ...] = ()
    earlier_contacts: int = 0


def _default_remedies() -> dict[str, tuple[Remedy, ...]]:
    return {
        "beschadigd of verkeerd geleverd": ("replacement", "free_return"),
        "productkwaliteit": ("replacement", "free_return"),
        "retour en terugbetaling": ("refund",),
    }


@dataclass(frozen=True, slots=True)
class Policy:
    """The shop's choices: how it addresses customers, who signs, how fast it promises, what a
    complaint gets by severity and aspect, and the terms a reply may cite."""

    shop_name: str
    signature: str | tuple[str, ...]
    register: Literal["u", "je"] = "u"
    contact_email: str = ""
    followup_working_days: int = 2
    refund_working_days: int = 5
    return_days: int = 14
    guarantee_years: int = 2
    # A discount code for the next order "als dank voor uw geduld", in percent, per severity
    # (0: none); remedies per aspect.
    discount_percent: dict[str, int] = field(
        default_factory=lambda: {"light": 0, "serious": 10, "severe": 15}
    )
    remedies: dict[str, tuple[Remedy, ...]] = field(default_factory=_default_remedies)
    # A loyal customer (this many reviews or mails, this one included) gets a thank-you code.
    loyalty_percent: int = 10
    loyalty_after: int = 3

    @property
    def signatures(self) -> tuple[str, ...]:
        return (self.signature,) if isinstance(self.signature, str) else self.signature

    @property
    def own_words(self) -> tuple[str, ...]:
        """The shop's own name, address and signatures: in a reply they are neither personal
        data nor shouting ("HEMA")."""
        return tuple(w for w in (self.shop_name, self.contact_email, *self.signatures) if w)


@dataclass(frozen=True, slots=True)
class Code:
    """A discount code that belongs to one review: its text, what it is worth, until when."""

    text: str
    percent: int
    expires: date | None
    purpose: Literal["sorry", "loyalty"] = "sorry"


@dataclass(frozen=True, slots=True)
class ReplyDraft:
    """A suggested reply; ``followup_date`` is the latest date the reply promises, if any;
    ``parts`` are the elements of the care rules it contains, each with its sentence; ``plan`` is
    what the reply had to do; ``writer`` is "templates" or "llm"."""

    text: str
    kind: str
    followup_date: date | None = None
    parts: tuple[tuple[str, str], ...] = ()
    plan: Any = None
    writer: str = "templates"

    @property
    def elements(self) -> tuple[str, ...]:
        return tuple(element for element, _ in self.parts)
