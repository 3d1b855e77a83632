"""Reply drafts: greeting, apology, sympathy, a dated promise, register, and the care rules."""

from __future__ import annotations

import itertools
import re
from datetime import date
from pathlib import Path

import pytest

from drafts import Point, Policy, ReplyDraft, ReviewFacts, compose
from drafts.compose import greeting
from drafts.workdays import MONTHS, WEEKDAYS, add_working_days, dutch_date
from sentiment import LexiconScorer, load_scorer
from sentiment.aspects import ASPECTS
from sentiment.opinions import opinions

REPO = Path(__file__).resolve().parents[2]
TODAY = date(2025, 11, 24)  # a Monday
POLICY_U = Policy(
    shop_name="Kookwinkel De Pan", signature="Sanne", register="u", contact_email="hallo@depan.nl"
)
POLICY_JE = Policy(
    shop_name="Kookwinkel De Pan", signature="Sanne", register="je", contact_email="hallo@depan.nl"
)

DATE_PROMISE = re.compile(r"uiterlijk ((?:" + "|".join(WEEKDAYS) + r") \d{1,2} \w+)", re.IGNORECASE)

# What the care rules forbid in any reply (customer-care-rules.md): blame, reproaches, lecturing,
# vague promises, shifting blame to others, and anything about changing or removing the review.
FORBIDDEN = (
    "u had",
    "je had",
    "had u",
    "had je",
    "eigen schuld",
    "uw schuld",
    "je schuld",
    "jouw schuld",
    "kinderachtig",
    "verwijder",
    "aanpassen van uw review",
    "aanpassen van je review",
    "pas uw review aan",
    "pas je review aan",
    "review aan te passen",
    "review weg",
    "review in te trekken",
    "onderzoek instellen",
    "we komen erop terug",
    "we komen er op terug",
    "bezorger",
    "postnl",
    "dhl",
    "leverancier",
    "de techniek",
    "het systeem",
    "helaas kunnen wij niets",
    "niet onze schuld",
    "niet aan ons",
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
REVIEW_CHANGE = re.compile(r"\breview\w*\b.{0,40}\b(aan\w*|verwijder\w*|wijzig\w*|weg\w*)\b")


@pytest.fixture(scope="module")
def scorer() -> LexiconScorer:
    return load_scorer("builtin", data_dir=REPO / "data")


def facts_from(
    scorer: LexiconScorer,
    text: str,
    *,
    key: str = "trustpilot:abc123",
    author: str | None = "Marieke V.",
    channel: str = "review",
) -> ReviewFacts:
    """Facts the way the draft stage builds them: the scorer's kind, score and aspects, and each
    clause scored on its own."""
    (result,) = scorer([text])
    points = tuple(Point(o.text, o.score, o.aspects) for o in opinions(scorer, text))
    return ReviewFacts(
        key=key, kind=result.kind, channel=channel, text=text, author=author,
        score=result.score, aspects=result.aspects, points=points,
    )  # fmt: skip


def draft_for(facts: ReviewFacts, policy: Policy = POLICY_U) -> ReplyDraft:
    draft = compose(facts, policy, today=TODAY)
    assert draft is not None
    return draft


def promised_dates(text: str) -> list[str]:
    return DATE_PROMISE.findall(text)


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-zà-ÿ]+", text.lower()))


def synthetic(
    kind: str, aspects: tuple[str, ...], key: str, channel: str = "review"
) -> ReviewFacts:
    return ReviewFacts(
        key=key,
        kind=kind,
        channel=channel,
        text="...",
        author="Marieke V.",
        aspects={aspect: ["woord"] for aspect in aspects},
    )


ASPECT_SETS: list[tuple[str, ...]] = [
    (),
    *((aspect,) for aspect in ASPECTS),
    *itertools.combinations(ASPECTS, 2),
]


def every_draft() -> list[tuple[ReviewFacts, Policy, ReplyDraft]]:
    """Drafts for every kind, register, channel and aspect pair, under several review keys."""
    drafts = []
    for kind, policy, channel, aspects, key in itertools.product(
        ("complaint", "compliment", "question"),
        (POLICY_U, POLICY_JE),
        ("review", "mail"),
        ASPECT_SETS,
        ("a", "b", "c", "d"),
    ):
        facts = synthetic(kind, aspects, key, channel)
        draft = compose(facts, policy, today=TODAY)
        assert draft is not None
        drafts.append((facts, policy, draft))
    return drafts


ALL_DRAFTS = every_draft()


# --- greeting -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("Marieke V.", "Beste Marieke,"),
        ("marieke", "Beste Marieke,"),
        ("Jan de Vries", "Beste Jan,"),
        ("  Eva  ", "Beste Eva,"),
        ("Anoniem", "Beste klant,"),
        ("anonieme klant", "Beste klant,"),
        ("pannenfan1987", "Beste klant,"),
        ("Klant", "Beste klant,"),
        ("J.", "Beste klant,"),
        ("...", "Beste klant,"),
        ("", "Beste klant,"),
        (None, "Beste klant,"),
        ("marieke.v@gmail.com", "Beste klant,"),
        ("kook_liefhebber", "Beste klant,"),
    ],
)
def test_greeting(author: str | None, expected: str) -> None:
    assert greeting(author) == expected


def test_draft_opens_with_the_greeting_and_closes_with_the_signature(
    scorer: LexiconScorer,
) -> None:
    draft = draft_for(facts_from(scorer, "Het pakket kwam te laat. Slechte service!"))
    assert draft.text.startswith("Beste Marieke,\n\n")
    assert re.search(
        r"\n(Met vriendelijke groet|Hartelijke groet),\nSanne\nKookwinkel De Pan$", draft.text
    )


# --- complaints ------------------------------------------------------------------------------

COMPLAINTS = {
    "levering en bezorgtijd": "Twee weken gewacht, de bezorging was veel te laat. Slecht!",
    "beschadigd of verkeerd geleverd": "Pakket kwam beschadigd aan, de pan is kapot. Balen!",
    "retour en terugbetaling": (
        "Ik heb mijn pakket teruggestuurd maar nog steeds geen geld terug. Slecht!"
    ),
    "klantenservice en bereikbaarheid": (
        "Klantenservice is onbereikbaar, geen reactie op mijn mails. Teleurstellend."
    ),
    "productkwaliteit": "Slechte kwaliteit, de pan begon na een week te roesten.",
}
# Words that show the sympathy is about what the customer wrote.
SYMPATHY_WORDS = {
    "levering en bezorgtijd": ("levering van een bestelling", "bezorging van uw"),
    "beschadigd of verkeerd geleverd": ("beschadigd of verkeerd", "kapotte of verkeerde"),
    "retour en terugbetaling": ("terugbetaling hoort", "geld hoort"),
    "klantenservice en bereikbaarheid": ("bereiken", "antwoorden"),
    "productkwaliteit": ("kwaliteit van het product", "goede kwaliteit"),
}


@pytest.mark.parametrize("aspect", list(COMPLAINTS))
def test_complaint_draft_thanks_apologises_and_names_the_problem(
    scorer: LexiconScorer, aspect: str
) -> None:
    facts = facts_from(scorer, COMPLAINTS[aspect])
    assert facts.kind == "complaint"
    assert aspect in facts.aspects
    text = draft_for(facts).text
    assert re.search(r"\b(dank|bedankt)\b", text, re.IGNORECASE)
    assert re.search(r"\b(excuses|spijt)\b", text)
    sympathy = text.split("\n\n")[2]
    assert any(word in sympathy for word in SYMPATHY_WORDS[aspect]), sympathy
    others = [w for a, ws in SYMPATHY_WORDS.items() if a != aspect for w in ws]
    assert not any(word in sympathy for word in others), sympathy


def test_damage_is_answered_as_damage_even_though_a_parcel_is_mentioned(
    scorer: LexiconScorer,
) -> None:
    facts = facts_from(scorer, COMPLAINTS["beschadigd of verkeerd geleverd"])
    assert "levering en bezorgtijd" in facts.aspects  # "pakket" is a delivery word too
    text = draft_for(facts).text
    assert "vervanging" in text
    assert "Lang wachten" not in text
    assert "waar uw bestelling is" not in text


@pytest.mark.parametrize("aspect", [a for a in COMPLAINTS if a != "retour en terugbetaling"])
@pytest.mark.parametrize("policy", [POLICY_U, POLICY_JE], ids=["u", "je"])
def test_complaint_promises_a_follow_up_on_a_concrete_working_day(
    scorer: LexiconScorer, aspect: str, policy: Policy
) -> None:
    draft = draft_for(facts_from(scorer, COMPLAINTS[aspect]), policy)
    expected = add_working_days(TODAY, policy.followup_working_days)
    assert draft.followup_date == expected
    assert promised_dates(draft.text) == [dutch_date(expected)]


def test_refund_complaint_promises_the_money_by_the_refund_deadline(
    scorer: LexiconScorer,
) -> None:
    facts = facts_from(scorer, COMPLAINTS["retour en terugbetaling"])
    assert "levering en bezorgtijd" in facts.aspects  # mentions the parcel as well
    draft = draft_for(facts)
    expected = add_working_days(TODAY, POLICY_U.refund_working_days)
    assert draft.followup_date == expected
    assert promised_dates(draft.text) == [dutch_date(expected)]
    assert "rekening" in draft.text


def test_the_promise_follows_the_policy_and_skips_holidays(scorer: LexiconScorer) -> None:
    policy = Policy(shop_name="De Pan", signature="Sanne", followup_working_days=1)
    facts = facts_from(scorer, COMPLAINTS["levering en bezorgtijd"])
    draft = compose(facts, policy, today=date(2025, 12, 24))
    assert draft is not None
    assert draft.followup_date == date(2025, 12, 29)
    assert "uiterlijk maandag 29 december" in draft.text


def test_private_contact_is_offered_for_public_reviews_only(scorer: LexiconScorer) -> None:
    text = COMPLAINTS["levering en bezorgtijd"]
    public = draft_for(facts_from(scorer, text, channel="review")).text
    mail = draft_for(facts_from(scorer, text, channel="mail")).text
    assert "hallo@depan.nl" in public
    assert "bestelnummer" in public
    assert "hallo@depan.nl" not in mail
    assert "bestelnummer" not in mail


def test_no_private_contact_without_a_contact_address(scorer: LexiconScorer) -> None:
    policy = Policy(shop_name="Kookwinkel De Pan", signature="Sanne")
    draft = compose(facts_from(scorer, COMPLAINTS["productkwaliteit"]), policy, today=TODAY)
    assert draft is not None
    assert "@" not in draft.text
    assert "mailen" not in draft.text


# --- compliments -----------------------------------------------------------------------------

COMPLIMENTS = {
    "levering en bezorgtijd": ("Razendsnel geleverd, top!", "vlot"),
    "verpakking": ("Keurig verpakt, alles heel aangekomen. Top!", "verpakt"),
    "klantenservice en bereikbaarheid": ("Super vriendelijk geholpen door Kim, top!", "geholpen"),
    "productkwaliteit": ("Prachtige pan, de kwaliteit is top.", "kwaliteit"),
    "prijs": ("Mooie pan voor een nette prijs, top!", "prijs"),
    "website en bestellen": ("Fijne website, prima service!", "bestellen"),
}


@pytest.mark.parametrize("aspect", list(COMPLIMENTS))
def test_compliment_names_what_was_praised(scorer: LexiconScorer, aspect: str) -> None:
    review, praised = COMPLIMENTS[aspect]
    facts = facts_from(scorer, review)
    assert facts.kind == "compliment"
    assert aspect in facts.aspects
    draft = draft_for(facts)
    assert praised in draft.text
    assert draft.kind == "compliment"


def test_compliment_about_packaging_and_speed_names_the_packaging(scorer: LexiconScorer) -> None:
    text = draft_for(facts_from(scorer, "Snel geleverd en netjes verpakt, top!")).text
    assert "verpakt" in text


def test_compliment_without_an_aspect_still_thanks(scorer: LexiconScorer) -> None:
    facts = facts_from(scorer, "Heel tevreden, echt een aanrader!")
    assert facts.aspects == {}
    text = draft_for(facts).text
    assert "tevreden" in text
    assert re.search(r"\b(dank|fijn|leuk)\b", text, re.IGNORECASE)


def test_compliment_has_no_apology_date_or_private_contact() -> None:
    for facts, _, draft in ALL_DRAFTS:
        if facts.kind != "compliment":
            continue
        assert draft.followup_date is None
        assert not words(draft.text) & {"excuses", "spijt", "uiterlijk", "vervelend"}
        assert not words(draft.text) & (set(WEEKDAYS) | set(MONTHS))
        assert "@" not in draft.text


# --- questions and other texts ---------------------------------------------------------------


@pytest.mark.parametrize("policy", [POLICY_U, POLICY_JE], ids=["u", "je"])
def test_question_gets_a_dated_promise(scorer: LexiconScorer, policy: Policy) -> None:
    facts = facts_from(scorer, "Werkt de braadpan op inductie?")
    assert facts.kind == "question"
    draft = draft_for(facts, policy)
    expected = add_working_days(TODAY, policy.followup_working_days)
    assert draft.kind == "question"
    assert draft.followup_date == expected
    assert promised_dates(draft.text) == [dutch_date(expected)]
    assert "vraag" in draft.text
    assert not words(draft.text) & {"excuses", "spijt"}


def test_other_texts_get_no_draft(scorer: LexiconScorer) -> None:
    facts = facts_from(scorer, "Pakket vandaag ontvangen.")
    assert facts.kind == "other"
    assert compose(facts, POLICY_U, today=TODAY) is None
    assert compose(synthetic("other", (), "x"), POLICY_JE, today=TODAY) is None


# --- register --------------------------------------------------------------------------------

U_WORDS = {"u", "uw", "uzelf"}
JE_WORDS = {"je", "jij", "jou", "jouw", "jezelf"}


def test_every_draft_keeps_to_one_register() -> None:
    for facts, policy, draft in ALL_DRAFTS:
        used = words(draft.text)
        addresses = facts.kind != "compliment"  # "Wat fijn dat de levering zo vlot ging!"
        if policy.register == "je":
            assert not used & U_WORDS, (facts, draft.text)
            assert used & JE_WORDS or not addresses, draft.text
        else:
            assert not used & JE_WORDS, (facts, draft.text)
            assert used & U_WORDS or not addresses, draft.text


# --- reproducible but varied -----------------------------------------------------------------


def test_the_same_facts_always_give_the_same_draft(scorer: LexiconScorer) -> None:
    facts = facts_from(scorer, COMPLAINTS["beschadigd of verkeerd geleverd"])
    first = draft_for(facts)
    assert all(draft_for(facts) == first for _ in range(5))
    rebuilt = facts_from(scorer, COMPLAINTS["beschadigd of verkeerd geleverd"])
    assert draft_for(rebuilt) == first


@pytest.mark.parametrize("kind", ["complaint", "compliment"])
def test_different_reviews_get_varied_drafts(kind: str) -> None:
    aspects = ("levering en bezorgtijd",)
    texts = {
        draft_for(synthetic(kind, aspects, key=f"trustpilot:{number}")).text for number in range(20)
    }
    assert len(texts) > 1


def test_varied_drafts_keep_the_same_promise() -> None:
    drafts = [
        draft_for(synthetic("complaint", ("klantenservice en bereikbaarheid",), key=str(n)))
        for n in range(20)
    ]
    assert len({draft.text for draft in drafts}) > 1
    assert {draft.followup_date for draft in drafts} == {
        add_working_days(TODAY, POLICY_U.followup_working_days)
    }


# --- care rules ------------------------------------------------------------------------------


def test_no_draft_blames_lectures_or_asks_to_change_the_review() -> None:
    for facts, _, draft in ALL_DRAFTS:
        text = draft.text.lower()
        for phrase in FORBIDDEN:
            assert phrase not in text, (phrase, facts, draft.text)
        assert not REVIEW_CHANGE.search(text), draft.text


def test_every_complaint_and_question_promises_exactly_one_date() -> None:
    for facts, policy, draft in ALL_DRAFTS:
        if facts.kind == "compliment":
            continue
        assert draft.followup_date is not None
        assert draft.followup_date > TODAY
        assert promised_dates(draft.text) == [dutch_date(draft.followup_date)], draft.text
        if facts.kind == "complaint":
            assert re.search(r"\b(excuses|spijt)\b", draft.text), draft.text
            assert ("@" in draft.text) == (facts.channel == "review" and bool(policy.contact_email))


def test_the_draft_never_repeats_personal_details_from_the_review(scorer: LexiconScorer) -> None:
    text = (
        "Bestelling 2025-123456 (ordernummer 987654321) is nog steeds niet geleverd! "
        "Slechte service. Mail me op marieke.devries@gmail.com of bel 06-12345678."
    )
    for author in ("Marieke V.", "marieke.devries@gmail.com", "Bestelling 987654321"):
        facts = facts_from(scorer, text, author=author)
        assert facts.kind == "complaint"
        for policy in (POLICY_U, POLICY_JE):
            draft = draft_for(facts, policy).text
            for detail in ("2025-123456", "987654321", "marieke.devries", "gmail", "06-1234"):
                assert detail not in draft
            # the only address in a draft is the shop's own
            assert set(EMAIL.findall(draft)) <= {"hallo@depan.nl"}
