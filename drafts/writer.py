"""One entry point for a draft: the templates, or the optional LLM writing from the same facts
and policy; either way the draft passes the tone check and the rubric, or the LLM's text is
dropped for the templates' and the reason kept."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date

from drafts.compose import compose
from drafts.facts import Code, Policy, ReplyDraft, ReviewFacts
from drafts.llm import LlmError, LlmWriter
from drafts.plan import Plan
from drafts.promises import latest_promise
from drafts.rubric import missing_elements
from drafts.tone import check_tone

logger = logging.getLogger(__name__)

CASE_WORDS = {
    "complaint": "een klacht",
    "mixed": "een gemengde review (lof én kritiek)",
    "compliment": "een compliment",
    "question": "een vraag",
    "demand": "een verzoek dat buiten de voorwaarden van de winkel valt",
}
# What the LLM is told to do with each element the templates would write; the sentence follows.
INSTRUCTION = {
    "thanks": "Bedank de klant, in de geest van",
    "apology": "Bied excuses aan, in de geest van",
    "sympathy": "Toon begrip, in de geest van",
    "admit": "Erken ronduit dat de fout bij de winkel ligt, in de geest van",
    "next_step": "Neem deze toezegging op, met precies deze datum",
    "remedy:replacement": "Bied deze oplossing aan, zonder voorwaarden",
    "remedy:free_return": "Bied deze oplossing aan, zonder voorwaarden",
    "remedy:refund": "Neem deze terugbetaling op, met precies deze datum",
    "code": "Geef deze kortingscode, precies zo en zonder voorwaarden",
    "loyalty_code": "Geef deze code voor een trouwe klant, precies zo en zonder voorwaarden",
    "private": "Nodig de klant uit om persoonlijk verder te gaan",
    "answer": "Geef dit antwoord",
    "policy_no": "Zeg vriendelijk en duidelijk nee, met het beleid",
    "close": "Sluit hartelijk af, in de geest van",
    "sign_off": "Onderteken precies zo",
}


@dataclass(frozen=True, slots=True)
class Written:
    """A draft and, when the LLM's text was not used, why not (Dutch, for the run log)."""

    draft: ReplyDraft | None
    fallback_reason: str | None = None
    unreachable: bool = False  # the LLM server gave no answer at all (down, timed out, refused)
    tone_problems: tuple[str, ...] = ()  # what a person must change before it can be approved


def instructions_for(draft: ReplyDraft) -> list[str]:
    """The LLM's brief, from what the templates wrote: the same dated steps, codes and sign-off.
    The customer's quoted words are left out: the review reaches the model only as data."""
    case = getattr(draft.plan, "case", "complaint")
    lines = [f"Dit is een antwoord op {CASE_WORDS.get(case, 'een bericht')}."]
    for element, sentence in draft.parts:
        if element in INSTRUCTION:
            lines.append(f'{INSTRUCTION[element]}: "{sentence}"')
    return lines


def tone_problems(text: str, facts: ReviewFacts, policy: Policy, code: Code | None) -> list[str]:
    """The tone check's reasons for ``text`` as a reply to ``facts``: public under a review,
    private by mail; the shop's own words and the review's code are allowed."""
    allowed = [*policy.own_words, *([code.text] if code else [])]
    tone = check_tone(text, public=facts.channel == "review", allowed=allowed)
    return [problem.reason for problem in tone.problems]


def vet(
    text: str,
    *,
    facts: ReviewFacts,
    policy: Policy,
    today: date,
    plan: Plan,
    code: Code | None,
) -> list[str]:
    """Why ``text`` may not be offered as a draft (empty: it may): tone problems and missing
    rubric elements, in Dutch."""
    reasons = tone_problems(text, facts, policy, code)
    missing = missing_elements(text, plan=plan, facts=facts, policy=policy, today=today, code=code)
    if missing:
        reasons.append("Er ontbreekt: " + ", ".join(missing) + ".")
    return reasons


def write_draft(
    facts: ReviewFacts,
    policy: Policy,
    *,
    today: date,
    code: Code | None = None,
    llm: LlmWriter | None = None,
    plan: Plan | None = None,
) -> Written:
    """The draft for one review: the LLM's when one is configured and its text passes the tone
    check and the rubric, the templates' otherwise. The template draft is checked too: it should
    always pass (tests hold every phrasing to it); should the customer's name or words still trip
    it, the person sees why before approving. ``plan``: the one the caller already made."""
    template = compose(facts, policy, today=today, code=code, plan=plan)
    if template is None:
        return Written(None)
    if llm is None:
        problems = tuple(tone_problems(template.text, facts, policy, code))
        return Written(template, tone_problems=problems)
    try:
        text = llm.write(facts=facts, policy=policy, instructions=instructions_for(template))
    except LlmError as error:
        return Written(template, str(error), unreachable=True)
    reasons = vet(text, facts=facts, policy=policy, today=today, plan=template.plan, code=code)
    if reasons:
        logger.info("LLM draft for %s rejected: %d problem(s)", facts.key, len(reasons))
        failed = "Het taalmodel schreef een antwoord dat niet door de controle kwam: "
        return Written(template, failed + " ".join(reasons))
    due = latest_promise(text, written_on=today)
    return Written(replace(template, text=text, followup_date=due, writer="llm"))
