"""What a reply must do for one review, decided before a word is written: the case (complaint,
compliment, mixed, question, a demand past the shop's terms), the severity, the remedies and
whether a discount code belongs to it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from drafts.facts import Point, Policy, Remedy, ReviewFacts, Severity

Case = Literal["complaint", "compliment", "mixed", "question", "demand"]

# Where the fault is the shop's by nature: it packed, sent, refunded and answered.
SHOPS_FAULT = frozenset(
    {
        "beschadigd of verkeerd geleverd",
        "retour en terugbetaling",
        "klantenservice en bereikbaarheid",
        "levering en bezorgtijd",
        "verpakking",
        "website en bestellen",
    }
)
_NUMBER_WORDS = {
    "een": 1, "één": 1, "anderhalf": 1.5, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6,
    "zeven": 7, "acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12,
}  # fmt: skip
_UNIT_DAYS = {"dag": 1, "dagen": 1, "week": 7, "weken": 7, "maand": 30, "maanden": 30}
_UNIT_DAYS |= {"jaar": 365, "jaren": 365}
ELAPSED = re.compile(
    r"\b(\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")\s+(dagen|dag|weken|week|maanden|maand|jaren|"
    r"jaar)\s+(?:geleden|na|later|oud|in gebruik|gebruikt)\b|\b(?:na|sinds|al)\s+(\d{1,3}|"
    + "|".join(_NUMBER_WORDS)
    + r")\s+(dagen|dag|weken|week|maanden|maand|jaren|jaar)\b",
    re.IGNORECASE,
)
WANTS_MONEY_BACK = re.compile(
    r"\b(?:geld terug|mijn geld|terugbetal\w*|terugstort\w*|retourneren|terugsturen|"
    r"volledige? (?:bedrag|vergoeding)|restitutie|nieuwe? (?:gratis|kosteloos))\b",
    re.IGNORECASE,
)
CLEAR = 0.35  # a clause scoring beyond this either way is praise or criticism a reply takes up
QUESTION_TOPICS: dict[str, re.Pattern[str]] = {
    "return": re.compile(r"\b(?:retour\w*|terugsturen|ruilen|omruilen|bedenktijd)\b", re.I),
    "guarantee": re.compile(r"\b(?:garantie\w*|defect|kapot|reparatie|repareren)\b", re.I),
}


@dataclass(frozen=True, slots=True)
class Plan:
    """What the reply does: ``praised`` / ``criticised`` are the customer's clauses the reply
    takes up, strongest first; ``code_percent`` > 0 means a discount code belongs to the review."""

    case: Case
    severity: Severity | None = None
    aspect: str | None = None
    praised_aspect: str | None = None
    remedies: tuple[Remedy, ...] = ()
    code_purpose: Literal["sorry", "loyalty"] | None = None
    code_percent: int = 0
    elapsed_days: int | None = None
    topic: str | None = None
    praised: tuple[Point, ...] = ()
    criticised: tuple[Point, ...] = ()

    @property
    def shops_fault(self) -> bool:
        return self.aspect in SHOPS_FAULT


def severity_of(facts: ReviewFacts) -> Severity:
    """How bad a complaint is, from the rating, the text and how often the customer came back."""
    rating = facts.rating_norm
    if (
        facts.earlier_contacts >= 2
        or facts.score <= -0.7
        or (rating is not None and rating <= 0.1 and facts.score <= -0.4)
    ):
        return "severe"
    if facts.score <= -0.35 or (rating is not None and rating <= 0.3):
        return "serious"
    return "light"


def elapsed_days(text: str) -> int | None:
    """The longest time the customer says has passed ("na 6 weken", "een jaar geleden")."""
    longest: float | None = None
    for match in ELAPSED.finditer(text):
        amount = (match.group(1) or match.group(3)).lower()
        unit = (match.group(2) or match.group(4)).lower()
        count = float(amount) if amount.isdigit() else _NUMBER_WORDS[amount]
        days = count * _UNIT_DAYS[unit]
        longest = days if longest is None else max(longest, days)
    return None if longest is None else int(longest)


def _main(aspects: list[str] | tuple[str, ...], order: tuple[str, ...]) -> str | None:
    return next((aspect for aspect in order if aspect in aspects), None)


def _strongest(points: tuple[Point, ...], sign: int) -> tuple[Point, ...]:
    """The clauses that are clearly positive (sign 1) or negative (sign -1), strongest first,
    then the neutral ones in the order written (a reply may take those up too)."""
    clear = [point for point in points if point.score * sign >= 0.2]
    neutral = [point for point in points if abs(point.score) < 0.2]
    return (*sorted(clear, key=lambda point: -point.score * sign), *neutral)


def plan_reply(facts: ReviewFacts, policy: Policy, *, order: tuple[str, ...]) -> Plan | None:
    """The plan for a reply, or None when the text asks for none. ``order`` ranks the aspects
    from most to least specific, so 'kapot' wins over the 'pakket' nearly every review has."""
    praised = _strongest(facts.points, 1)
    criticised = _strongest(facts.points, -1)
    aspects = list(facts.aspects)
    if facts.kind in ("complaint", "other"):
        days = elapsed_days(facts.text)
        if days is not None and days > policy.return_days and WANTS_MONEY_BACK.search(facts.text):
            aspect = _main(aspects, order)
            return Plan(case="demand", aspect=aspect, elapsed_days=days, criticised=criticised)
    if facts.kind not in ("complaint", "compliment", "question"):
        return None
    first_praised = praised[0] if praised else None
    first_criticised = criticised[0] if criticised else None
    if facts.kind == "question":
        topic = next((name for name, rx in QUESTION_TOPICS.items() if rx.search(facts.text)), None)
        return Plan(case="question", topic=topic, aspect=_main(aspects, order))
    if facts.kind == "compliment":
        praised_aspect = _main(first_praised.aspects if first_praised else (), order) or _main(
            aspects, order
        )
        loyal = facts.earlier_contacts + 1 >= policy.loyalty_after and policy.loyalty_percent > 0
        complaint = next((c for c in criticised if c.score <= -CLEAR and c.aspects), None)
        if complaint is not None:
            return Plan(
                case="mixed",
                severity="light",
                aspect=_main(complaint.aspects, order),
                praised_aspect=praised_aspect,
                remedies=_remedies(policy, _main(complaint.aspects, order)),
                praised=praised,
                criticised=criticised,
            )
        return Plan(
            case="compliment",
            praised_aspect=praised_aspect,
            praised=praised,
            code_purpose="loyalty" if loyal else None,
            code_percent=policy.loyalty_percent if loyal else 0,
        )
    aspect = _main(first_criticised.aspects if first_criticised else (), order) or _main(
        aspects, order
    )
    severity = severity_of(facts)
    percent = policy.discount_percent.get(severity, 0)
    praised_aspect = _main(first_praised.aspects, order) if first_praised else None
    return Plan(
        case="mixed" if first_praised is not None and first_praised.score >= CLEAR else "complaint",
        severity=severity,
        aspect=aspect,
        praised_aspect=praised_aspect,
        remedies=_remedies(policy, aspect),
        code_purpose="sorry" if percent > 0 else None,
        code_percent=percent,
        praised=praised,
        criticised=criticised,
    )


def _remedies(policy: Policy, aspect: str | None) -> tuple[Remedy, ...]:
    return policy.remedies.get(aspect, ()) if aspect else ()
