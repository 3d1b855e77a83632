"""The care rules' checklist, read from a reply's final wording: does it thank, apologise, show
sympathy, date its next step, give the compensation the plan promised, invite the customer to
continue privately, name what was praised, and sign off? Used on template and LLM drafts alike."""

from __future__ import annotations

import re
from datetime import date

from drafts.facts import Code, Policy, ReviewFacts
from drafts.plan import Plan
from drafts.promises import promised_dates

THANKS = re.compile(r"\b(?:dank|bedankt|hartelijk dank)\b", re.IGNORECASE)
APOLOGY = re.compile(r"\b(?:excuses|spijt (?:ons|me|het ons)|sorry)\b", re.IGNORECASE)
SYMPATHY = re.compile(
    r"\b(?:vervelend|teleurstell\w*|begrijp\w*|serieus|niet de ervaring|niet mogen|"
    r"hoor\w* (?:\w+ )?niet|hoor\w* \w+ te|tegenvi\w+|verwachten|had(?:den)? \w+(?: \w+)* moeten|"
    r"niet goed|niet zo|niet onze bedoeling)\b",
    re.IGNORECASE,
)
REMEDIES = {
    "replacement": re.compile(r"nieuw exemplaar|vervang\w*|nieuwe \w+ toe", re.IGNORECASE),
    "free_return": re.compile(
        r"retourlabel|(?:gratis|kosteloos)\w* (?:retour|terug)\w*|voor onze rekening", re.I
    ),
    "refund": re.compile(r"terugbeta\w*|terugstort\w*|op (?:uw|je) rekening", re.IGNORECASE),
}
POLICY_TERM = re.compile(r"\b\d+ (?:dagen|jaar)\b|garantie|herroep|bedenktijd", re.IGNORECASE)
OFFER = re.compile(r"wat wel kan|wel kunnen|repar\w+|vervang\w*|oploss\w*", re.IGNORECASE)
ANSWER = re.compile(r"\b\d+ (?:dagen|jaar)\b|garantie|retourlabel|binnen 24 uur", re.IGNORECASE)
# How a reply names each aspect: the words a reader recognises the topic by.
ASPECT_NAMES: dict[str, re.Pattern[str]] = {
    aspect: re.compile(rf"\b(?:{words})", re.IGNORECASE)
    for aspect, words in {
        "levering en bezorgtijd": r"lever\w*|bezorg\w*|verzend\w*",
        "beschadigd of verkeerd geleverd": r"beschadig\w*|kapot\w*|verkeerd\w*|vervang\w*",
        "productkwaliteit": r"kwaliteit|product\w*",
        "retour en terugbetaling": r"retour\w*|terugbeta\w*|geld terug",
        "klantenservice en bereikbaarheid": r"klantenservice|bereik\w*|geholpen|antwoord\w*",
        "prijs": r"prijs\w*|voor uw geld|voor je geld",
        "verpakking": r"verpak\w*",
        "website en bestellen": r"website|webshop|bestellen",
    }.items()
}


def names_aspect(text: str, aspect: str | None) -> bool:
    return aspect is not None and bool(ASPECT_NAMES[aspect].search(text))


def missing_elements(
    text: str,
    *,
    plan: Plan,
    facts: ReviewFacts,
    policy: Policy,
    today: date,
    code: Code | None = None,
) -> list[str]:
    """The rubric elements for this case that ``text`` lacks, in Dutch words (empty: complete)."""
    missing: list[str] = []

    def need(name: str, present: bool) -> None:
        if not present:
            missing.append(name)

    full = text
    if code is not None:
        text = text.replace(code.text, "")  # "SORRY-7KQ2M9XT" is no apology
    dated = bool(promised_dates(text, written_on=today))
    need("dank", bool(THANKS.search(text)))
    if plan.case in ("complaint", "mixed", "demand"):
        need("excuses", bool(APOLOGY.search(text)))
    if plan.case == "complaint":
        need("begrip", bool(SYMPATHY.search(text)))
    if plan.case in ("complaint", "mixed"):
        need("volgende stap met datum", dated)
        for remedy in plan.remedies:
            need(f"compensatie ({remedy})", bool(REMEDIES[remedy].search(text)))
    if plan.case in ("mixed", "compliment") and plan.praised_aspect:
        need("benoemt wat de klant prees", names_aspect(text, plan.praised_aspect))
    if plan.case == "demand":
        need("het beleid", bool(POLICY_TERM.search(text)))
        need("wat wel kan, met datum", bool(OFFER.search(text)) and dated)
    if plan.case == "question":
        need("antwoord of datum", dated or bool(ANSWER.search(text)))
    if code is not None:
        need(f"kortingscode {code.text}", code.text in full)
    if facts.channel == "review" and policy.contact_email and plan.case != "compliment":
        need("uitnodiging om persoonlijk verder te gaan", policy.contact_email in text)
    tail = text.strip().splitlines()[-3:]
    signed = any(name in line for line in tail for name in policy.signatures)
    need("ondertekening met naam en winkel", signed and policy.shop_name in tail[-1])
    return missing
