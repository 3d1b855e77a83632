"""Writing a calm Dutch reply from a plan: an apology, the customer's own point, a dated next step
and the policy's compensation for complaints; specific thanks for compliments; a helpful answer
or a dated promise for questions; a kind, clear no with what is possible for demands past the
shop's terms. Phrasings are chosen per review, reproducibly."""

from __future__ import annotations

import hashlib
import re
from datetime import date

from drafts import phrases as p
from drafts.facts import Code, Point, Policy, ReplyDraft, ReviewFacts
from drafts.plan import Plan, plan_reply
from drafts.promises import latest_promise
from drafts.tone import check_tone
from drafts.workdays import MONTHS, add_working_days, dutch_date

# Aspects from most to least specific: the first one a review names leads the reply, so the
# delivery words that nearly every review contains ('pakket', 'geleverd') come last.
ASPECT_ORDER = (
    "beschadigd of verkeerd geleverd",
    "retour en terugbetaling",
    "productkwaliteit",
    "klantenservice en bereikbaarheid",
    "verpakking",
    "prijs",
    "website en bestellen",
    "levering en bezorgtijd",
)
SURNAME_PREFIXES = frozenset(
    {"de", "den", "der", "van", "vd", "v.d.", "ter", "ten", "het", "'t", "le", "la"}
)
NOT_A_NAME = re.compile(r"(anoniem|klant|gast|^\W*$|\d|[@_])", re.IGNORECASE)
QUOTE_WORDS = (1, 18)
QUOTE_MAX_CHARS = 110
# A quote carries no numbers, addresses, links, markup or quotation marks of its own.
NOT_QUOTABLE = re.compile(r"[\d@#/\\<>\"“”„«»\[\]{}*_|~^=+&%$€]|https?:|www\.", re.IGNORECASE)


def is_named(author: str | None) -> bool:
    """Whether an author field names a person ("Marieke V.", not "Klant" or "anoniem")."""
    return bool(author and author.strip() and not NOT_A_NAME.search(author))


def greeting(author: str | None) -> str:
    """'Beste Marieke,' from 'Marieke V.'; 'Beste klant,' when there is no usable name."""
    if not author or not is_named(author):
        return "Beste klant,"
    first = author.strip().split()[0].strip(".,")
    if len(first) < 2 or first.lower() in SURNAME_PREFIXES:
        return "Beste klant,"  # "De Vries", "van Dam": a surname, not a first name
    if first.isupper():
        first = first.capitalize()  # "MARIEKE" is Marieke, not a shout
    return f"Beste {first[:1].upper()}{first[1:]},"


def quotable(point: Point) -> str | None:
    """A clause of the customer's that a public reply can quote: short, plain words, and calm
    (a clause in capitals is quoted in lower case; one the tone check stops is not quoted)."""
    text = " ".join(point.text.split()).strip(" .!?;:,'‘’()-–")
    text = re.sub(r",(?=\w)", ", ", text)  # "gebeurd,komisch"
    if NOT_QUOTABLE.search(text) or len(text) > QUOTE_MAX_CHARS:
        return None
    if not QUOTE_WORDS[0] <= len(text.split()) <= QUOTE_WORDS[1]:
        return None
    if text.isupper():
        text = text.lower()
    elif text[:1].isupper() and text[1:2].islower():
        text = text[:1].lower() + text[1:]
    return text if check_tone(text).ok else None


def expiry_words(code: Code) -> str:
    if code.expires is None:
        return ""
    day = code.expires
    return f", geldig tot en met {day.day} {MONTHS[day.month - 1]} {day.year}"


class _Reply:
    """One reply being written: says phrasings in the shop's register, chosen per review."""

    def __init__(self, facts: ReviewFacts, policy: Policy, today: date) -> None:
        self.facts = facts
        self.policy = policy
        self.followup = dutch_date(add_working_days(today, policy.followup_working_days))
        self.refund = dutch_date(add_working_days(today, policy.refund_working_days))
        self.paragraphs: list[list[str]] = []
        self.parts: list[tuple[str, str]] = []

    def choose(self, options: p.Options, element: str) -> p.Phrase:
        digest = hashlib.sha256(f"{self.facts.key}|{element}".encode()).digest()
        return options[digest[0] % len(options)]

    def say(self, phrase: p.Phrase, **values: object) -> str:
        text = phrase[0] if self.policy.register == "u" else phrase[1]
        values = {"date": self.followup, "refund": self.refund, **values}
        return text.format(**values)

    def add(self, element: str, text: str, *, new_paragraph: bool = True) -> None:
        if new_paragraph or not self.paragraphs:
            self.paragraphs.append([text])
        else:
            self.paragraphs[-1].append(text)
        self.parts.append((element, text))

    def add_chosen(self, element: str, options: p.Options, *, new_paragraph: bool = True,
                   **values: object) -> None:  # fmt: skip
        self.add(element, self.say(self.choose(options, element), **values),
                 new_paragraph=new_paragraph)  # fmt: skip

    def praise(self, aspect: str | None) -> str:
        return self.say(p.PRAISE.get(aspect or "", p.PRAISE_GENERAL))

    def quote(self, points: tuple[Point, ...], options: p.Options, element: str) -> None:
        """The strongest of the customer's clauses that can be quoted, if any."""
        quote = next((q for point in points if (q := quotable(point)) is not None), None)
        if quote is not None:
            self.add_chosen(element, options, new_paragraph=False, quote=quote)

    def code(self, code: Code | None, options: p.Options, element: str) -> None:
        if code is not None:
            self.add_chosen(element, options, code=code.text, percent=code.percent,
                            expires=expiry_words(code))  # fmt: skip

    def private(self) -> None:
        if self.facts.channel == "review" and self.policy.contact_email:
            self.add_chosen("private", p.PRIVATE, email=self.policy.contact_email)

    def sign_off(self) -> str:
        signature = self.choose(tuple((name, name) for name in self.policy.signatures), "name")
        words = self.say(self.choose(p.SIGN_OFF, "sign_off"))
        return f"{words}\n{signature[0]}\n{self.policy.shop_name}"

    def text(self) -> str:
        body = "\n\n".join(" ".join(paragraph) for paragraph in self.paragraphs)
        return f"{greeting(self.facts.author)}\n\n{body}\n\n{self.sign_off()}"


def _remedies_and_step(reply: _Reply, plan: Plan) -> None:
    aspect = plan.aspect
    step = p.NEXT_STEP.get(aspect, p.NEXT_STEP_GENERAL) if aspect else p.NEXT_STEP_GENERAL
    reply.add_chosen("next_step", step)
    for remedy in plan.remedies:
        if remedy == "refund" and aspect == "retour en terugbetaling":
            continue  # the next step already dates the refund
        reply.add(f"remedy:{remedy}", reply.say(p.REMEDY[remedy]), new_paragraph=False)


def _complaint(reply: _Reply, plan: Plan, code: Code | None) -> None:
    if plan.case == "mixed":
        praise = (
            reply.praise(plan.praised_aspect)
            if plan.praised_aspect
            else reply.say(p.PRAISE_MIXED_GENERAL)
        )
        reply.add_chosen("thanks", p.MIXED_OPENING, praise=praise)
        if plan.aspect in p.CRITICISED:
            reply.add_chosen("apology", p.MIXED_TURN, criticised=p.CRITICISED[plan.aspect])
        else:
            reply.add_chosen("apology", p.MIXED_TURN_GENERAL)
        reply.quote(plan.criticised, p.QUOTE_COMPLAINT, "quote")
    else:
        reply.add_chosen("thanks", p.THANKS_COMPLAINT)
        reply.quote(plan.criticised, p.QUOTE_COMPLAINT, "quote")
        sympathy = p.SYMPATHY.get(plan.aspect or "", p.SYMPATHY_GENERAL)
        reply.add_chosen("sympathy", sympathy)
    if plan.shops_fault:
        reply.add_chosen("admit", p.ADMIT, new_paragraph=False)
    _remedies_and_step(reply, plan)
    reply.code(code, p.SORRY_CODE, "code")
    reply.private()


def _compliment(reply: _Reply, plan: Plan, code: Code | None) -> None:
    reply.add_chosen("thanks", p.THANKS_COMPLIMENT, praise=reply.praise(plan.praised_aspect))
    reply.quote(plan.praised, p.QUOTE_COMPLIMENT, "quote")
    reply.code(code, p.LOYALTY_CODE, "loyalty_code")
    reply.add_chosen("close", p.COMPLIMENT_CLOSE)


def _question(reply: _Reply, plan: Plan) -> None:
    reply.add_chosen("thanks", p.QUESTION_THANKS)
    policy = reply.policy
    if plan.topic in p.ANSWER and policy.contact_email:
        values = {"return_days": policy.return_days, "guarantee": policy.guarantee_years}
        answer = reply.say(p.ANSWER[plan.topic], email=policy.contact_email, **values)
        reply.add("answer", answer, new_paragraph=False)
    else:
        reply.add_chosen("next_step", p.QUESTION_PROMISE, new_paragraph=False)
        reply.private()


def _demand(reply: _Reply, plan: Plan) -> None:
    policy = reply.policy
    reply.add_chosen("thanks", p.DEMAND_THANKS)
    reply.add("policy_no", reply.say(p.DEMAND_NO, return_days=policy.return_days))
    within_guarantee = (plan.elapsed_days or 0) <= policy.guarantee_years * 365
    possible = p.DEMAND_POSSIBLE_GUARANTEE if within_guarantee else p.DEMAND_POSSIBLE_REPAIR
    reply.add("next_step", reply.say(possible, guarantee=policy.guarantee_years))
    reply.private()


def plan_for(facts: ReviewFacts, policy: Policy) -> Plan | None:
    """What a reply to this review must do (None: nothing to answer); the caller fetches the
    discount code the plan asks for before composing."""
    return plan_reply(facts, policy, order=ASPECT_ORDER)


def compose(
    facts: ReviewFacts,
    policy: Policy,
    *,
    today: date,
    code: Code | None = None,
    plan: Plan | None = None,
) -> ReplyDraft | None:
    """A draft for a complaint, compliment or question; None for other texts (nothing to answer).
    ``code`` is the discount code the plan asked for, when the shop's policy gives one; ``plan``
    the plan the caller already made for these facts (else it is made here)."""
    plan = plan or plan_for(facts, policy)
    if plan is None:
        return None
    reply = _Reply(facts, policy, today)
    if plan.case in ("complaint", "mixed"):
        _complaint(reply, plan, code)
    elif plan.case == "compliment":
        _compliment(reply, plan, code)
    elif plan.case == "question":
        _question(reply, plan)
    else:
        _demand(reply, plan)
    text = reply.text()
    return ReplyDraft(
        text=text,
        kind=facts.kind,
        followup_date=latest_promise(text, written_on=today),
        parts=(*reply.parts, ("sign_off", reply.sign_off())),
        plan=plan,
    )
