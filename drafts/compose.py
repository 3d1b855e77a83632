"""Writing a calm Dutch reply: an apology and a dated next step for complaints, specific thanks for
compliments, a dated promise to answer questions. Phrasings are chosen per review, reproducibly."""

from __future__ import annotations

import hashlib
import re
from datetime import date

from drafts.facts import Policy, ReplyDraft, ReviewFacts
from drafts.workdays import add_working_days, dutch_date

# Each phrasing is a pair: the "u" form and the "je" form.
Phrase = tuple[str, str]

THANKS_COMPLAINT: tuple[Phrase, ...] = (
    ("Dank u voor uw bericht, en onze excuses voor het ongemak.",
     "Dank je voor je bericht, en onze excuses voor het ongemak."),
    ("Bedankt dat u dit laat weten. Het spijt ons dat het zo gelopen is.",
     "Bedankt dat je dit laat weten. Het spijt ons dat het zo gelopen is."),
    ("Dank u wel voor uw eerlijke reactie. Onze excuses dat het niet ging zoals het hoort.",
     "Dank je wel voor je eerlijke reactie. Onze excuses dat het niet ging zoals het hoort."),
)  # fmt: skip

# Each table lists its aspects in order of priority: the first one a review mentions is used, so
# the delivery words that nearly every review contains ('pakket', 'geleverd') come last.
SYMPATHY: dict[str, tuple[Phrase, ...]] = {
    "beschadigd of verkeerd geleverd": (
        ("Een pakket openen en dan zien dat er iets mis mee is, is een flinke teleurstelling.",
         "Een pakket openen en dan zien dat er iets mis mee is, is een flinke teleurstelling."),
        ("Zo hoort uw bestelling niet bij u aan te komen; dat nemen we serieus.",
         "Zo hoort je bestelling niet bij je aan te komen; dat nemen we serieus."),
    ),
    "retour en terugbetaling": (
        ("Uw terugbetaling had allang rond moeten zijn; dat is onze fout.",
         "Je terugbetaling had allang rond moeten zijn; dat is onze fout."),
    ),
    "productkwaliteit": (
        ("Het spijt ons dat het product niet is wat u ervan mocht verwachten.",
         "Het spijt ons dat het product niet is wat je ervan mocht verwachten."),
    ),
    "klantenservice en bereikbaarheid": (
        ("Dat u ons niet goed kon bereiken, is niet de service die wij willen geven.",
         "Dat je ons niet goed kon bereiken, is niet de service die wij willen geven."),
        ("We hadden u veel sneller moeten antwoorden; dat ligt bij ons.",
         "We hadden je veel sneller moeten antwoorden; dat ligt bij ons."),
    ),
    "levering en bezorgtijd": (
        ("Lang wachten op een bestelling is vervelend, zeker als u erop rekent.",
         "Lang wachten op een bestelling is vervelend, zeker als je erop rekent."),
        ("Dat uw bestelling later komt dan beloofd, had niet mogen gebeuren.",
         "Dat je bestelling later komt dan beloofd, had niet mogen gebeuren."),
    ),
}  # fmt: skip
SYMPATHY_GENERAL: tuple[Phrase, ...] = (
    ("We begrijpen dat dit vervelend is, en we nemen het serieus.",
     "We begrijpen dat dit vervelend is, en we nemen het serieus."),
    ("Dit is niet de ervaring die we u willen geven.",
     "Dit is niet de ervaring die we je willen geven."),
)  # fmt: skip

NEXT_STEP: dict[str, Phrase] = {
    "beschadigd of verkeerd geleverd": (
        "We sturen u kosteloos een vervanging, of betalen het bedrag terug als u dat liever heeft. "
        "U hoort uiterlijk {date} van ons wat u kunt verwachten.",
        "We sturen je kosteloos een vervanging, of betalen het bedrag terug als je dat liever "
        "hebt. "
        "Je hoort uiterlijk {date} van ons wat je kunt verwachten.",
    ),
    "retour en terugbetaling": (
        "We zoeken uw terugbetaling vandaag uit en zorgen dat het bedrag uiterlijk {refund} op uw "
        "rekening staat.",
        "We zoeken je terugbetaling vandaag uit en zorgen dat het bedrag uiterlijk {refund} op je "
        "rekening staat.",
    ),
    "levering en bezorgtijd": (
        "We zoeken direct uit waar uw bestelling is en laten u uiterlijk {date} weten wanneer u "
        "hem ontvangt.",
        "We zoeken direct uit waar je bestelling is en laten je uiterlijk {date} weten wanneer je "
        "hem ontvangt.",
    ),
}
NEXT_STEP_GENERAL: Phrase = (
    "We zoeken het uit en laten u uiterlijk {date} weten hoe we het oplossen.",
    "We zoeken het uit en laten je uiterlijk {date} weten hoe we het oplossen.",
)
PRIVATE: Phrase = (
    "Wilt u ons uw bestelnummer mailen via {email}? "
    "Dan handelen we het verder persoonlijk met u af.",
    "Wil je ons je bestelnummer mailen via {email}? "
    "Dan handelen we het verder persoonlijk met je af.",
)

PRAISE: dict[str, Phrase] = {
    "klantenservice en bereikbaarheid": ("u goed geholpen bent", "je goed geholpen bent"),
    "productkwaliteit": (
        "u zo tevreden bent over de kwaliteit", "je zo tevreden bent over de kwaliteit"
    ),
    "verpakking": ("alles zo goed verpakt aankwam", "alles zo goed verpakt aankwam"),
    "prijs": ("u de prijs goed vindt", "je de prijs goed vindt"),
    "website en bestellen": ("het bestellen zo makkelijk ging", "het bestellen zo makkelijk ging"),
    "levering en bezorgtijd": (
        "uw bestelling zo vlot bij u was", "je bestelling zo vlot bij je was"
    ),
}  # fmt: skip
THANKS_COMPLIMENT: tuple[Phrase, ...] = (
    ("Wat fijn om te lezen dat {praise}!", "Wat fijn om te lezen dat {praise}!"),
    ("Dank u wel! Het doet ons goed dat {praise}.", "Dank je wel! Het doet ons goed dat {praise}."),
    ("Hartelijk dank voor uw mooie woorden. Leuk dat {praise}.",
     "Hartelijk dank voor je mooie woorden. Leuk dat {praise}."),
)  # fmt: skip
COMPLIMENT_CLOSE: tuple[Phrase, ...] = (
    ("Dank u dat u de moeite neemt om dit te delen.",
     "Dank je dat je de moeite neemt om dit te delen."),
    ("We hopen u snel weer te helpen.", "We hopen je snel weer te helpen."),
)  # fmt: skip

QUESTION: Phrase = (
    "Dank u voor uw vraag. We zoeken het voor u uit en u hoort uiterlijk {date} van ons.",
    "Dank je voor je vraag. We zoeken het voor je uit en je hoort uiterlijk {date} van ons.",
)
SURNAME_PREFIXES = frozenset(
    {"de", "den", "der", "van", "vd", "v.d.", "ter", "ten", "het", "'t", "le", "la"}
)
NOT_A_NAME = re.compile(r"(anoniem|klant|gast|^\W*$|\d|[@_])", re.IGNORECASE)


def _choose(options: tuple[Phrase, ...], facts: ReviewFacts, element: str) -> Phrase:
    digest = hashlib.sha256(f"{facts.key}|{element}".encode()).digest()
    return options[digest[0] % len(options)]


def _say(phrase: Phrase, policy: Policy, **values: str) -> str:
    text = phrase[0] if policy.register == "u" else phrase[1]
    return text.format(**values) if values else text


def greeting(author: str | None) -> str:
    """'Beste Marieke,' from 'Marieke V.'; 'Beste klant,' when there is no usable name."""
    if not author or NOT_A_NAME.search(author):
        return "Beste klant,"
    first = author.strip().split()[0].strip(".,")
    if len(first) < 2 or first.lower() in SURNAME_PREFIXES:
        return "Beste klant,"  # "De Vries", "van Dam": a surname, not a first name
    return f"Beste {first[:1].upper()}{first[1:]},"


def _sign_off(policy: Policy) -> str:
    return f"Met vriendelijke groet,\n{policy.signature}\n{policy.shop_name}"


def _main_aspect(facts: ReviewFacts, table: dict[str, object]) -> str | None:
    return next((aspect for aspect in table if aspect in facts.aspects), None)


def _complaint(facts: ReviewFacts, policy: Policy, today: date) -> ReplyDraft:
    followup = add_working_days(today, policy.followup_working_days)
    refund = add_working_days(today, policy.refund_working_days)
    aspect = _main_aspect(facts, SYMPATHY)
    sympathy = SYMPATHY[aspect] if aspect else SYMPATHY_GENERAL
    step_aspect = _main_aspect(facts, NEXT_STEP)
    step = NEXT_STEP[step_aspect] if step_aspect else NEXT_STEP_GENERAL
    parts = [
        _say(_choose(THANKS_COMPLAINT, facts, "thanks"), policy),
        _say(_choose(sympathy, facts, "sympathy"), policy),
        _say(step, policy, date=dutch_date(followup), refund=dutch_date(refund)),
    ]
    if facts.channel == "review" and policy.contact_email:
        parts.append(_say(PRIVATE, policy, email=policy.contact_email))
    body = " ".join(parts[:2]) + "\n\n" + "\n\n".join(parts[2:])
    promised = refund if step_aspect == "retour en terugbetaling" else followup
    return ReplyDraft(
        text=f"{greeting(facts.author)}\n\n{body}\n\n{_sign_off(policy)}",
        kind=facts.kind,
        followup_date=promised,
    )


def _compliment(facts: ReviewFacts, policy: Policy) -> ReplyDraft:
    aspect = _main_aspect(facts, PRAISE)
    praise = (
        _say(PRAISE[aspect], policy)
        if aspect
        else ("u zo tevreden bent" if policy.register == "u" else "je zo tevreden bent")
    )
    opening = _say(_choose(THANKS_COMPLIMENT, facts, "thanks"), policy, praise=praise)
    closing = _say(_choose(COMPLIMENT_CLOSE, facts, "close"), policy)
    return ReplyDraft(
        text=f"{greeting(facts.author)}\n\n{opening} {closing}\n\n{_sign_off(policy)}",
        kind=facts.kind,
    )


def _question(facts: ReviewFacts, policy: Policy, today: date) -> ReplyDraft:
    followup = add_working_days(today, policy.followup_working_days)
    body = _say(QUESTION, policy, date=dutch_date(followup))
    return ReplyDraft(
        text=f"{greeting(facts.author)}\n\n{body}\n\n{_sign_off(policy)}",
        kind=facts.kind,
        followup_date=followup,
    )


def compose(facts: ReviewFacts, policy: Policy, *, today: date) -> ReplyDraft | None:
    """A draft for a complaint, compliment or question; None for other texts (nothing to answer)."""
    if facts.kind == "complaint":
        return _complaint(facts, policy, today)
    if facts.kind == "compliment":
        return _compliment(facts, policy)
    if facts.kind == "question":
        return _question(facts, policy, today)
    return None
