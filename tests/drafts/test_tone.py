"""The Dutch tone check: a corpus of good and bad replies, each rule on its own, the template
drafts, and arbitrary text."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafts import Policy, ReviewFacts, compose
from drafts.tone import RULES, Problem, ToneResult, check_tone
from sentiment.aspects import ASPECTS

CORPUS = Path(__file__).with_name("tone_corpus.csv")
# The shop's own strings, treated as allowed for every corpus row: its e-mail address, a discount
# code, its phone number and its street address.
ALLOWED = ("hallo@depan.nl", "SORRY-7KQ2M9XT", "030 123 4567", "Kerkstraat 12")


def _corpus() -> list[tuple[str, bool, frozenset[str]]]:
    with CORPUS.open(encoding="utf-8", newline="") as handle:
        return [
            (row["text"], row["ok"] == "true", frozenset(filter(None, row["rules"].split("|"))))
            for row in csv.DictReader(handle)
        ]


ROWS = _corpus()


def rules_of(result: ToneResult) -> set[str]:
    return {problem.rule for problem in result.problems}


def excerpts(text: str, *, allowed: list[str] | None = None) -> list[tuple[str, str]]:
    return [(p.rule, p.excerpt) for p in check_tone(text, allowed=allowed or ()).problems]


# --- the corpus ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ok", "rules"), ROWS, ids=[f"row{i + 2}" for i in range(len(ROWS))]
)
def test_corpus_row(text: str, ok: bool, rules: frozenset[str]) -> None:
    result = check_tone(text, allowed=ALLOWED)
    assert result.ok is ok, result.explain()
    assert rules_of(result) == rules, result.explain()


def test_corpus_is_large_and_covers_every_rule() -> None:
    good = [row for row in ROWS if row[1]]
    bad = [row for row in ROWS if not row[1]]
    assert len(good) >= 60 and len(bad) >= 90
    assert all(not rules for _, _, rules in good)
    assert all(rules and rules <= set(RULES) for _, _, rules in bad)
    for rule in RULES:
        assert sum(rule in rules for _, _, rules in bad) >= 10, rule


# --- the result ------------------------------------------------------------------------------


def test_ok_reply_has_no_problems_and_an_empty_explanation() -> None:
    result = check_tone("Dank u voor uw bericht. We sturen u vandaag een nieuwe pan.")
    assert result.ok
    assert result.problems == ()
    assert result.explain() == ""


def test_reasons_are_dutch_and_quote_the_excerpt() -> None:
    words = {
        "blame": "schuld",
        "ego": "rustig",
        "sarcasm": "spottend",
        "shouting": "schreeuwen",
        "vague_promise": "moment",
        "review_request": "review",
        "personal_data": "Persoonsgegevens",
    }
    seen = set()
    for text, _, _ in ROWS:
        for problem in check_tone(text, allowed=ALLOWED).problems:
            seen.add(problem.rule)
            assert problem.rule in RULES
            assert problem.excerpt and problem.excerpt in text
            assert f'"{problem.excerpt}"' in problem.reason
            assert problem.reason.endswith(".") and problem.reason[0].isupper()
            assert words[problem.rule] in problem.reason or problem.rule == "blame"
    assert seen == set(RULES)


def test_explain_joins_the_reasons_in_text_order() -> None:
    result = check_tone("Tja, u had moeten opletten. We komen erop terug.")
    assert [p.rule for p in result.problems] == ["sarcasm", "blame", "vague_promise"]
    assert result.explain() == "\n".join(p.reason for p in result.problems)
    assert result.explain().startswith('Sarcasme ("Tja")')


def test_one_problem_per_rule_and_distinct_excerpt() -> None:
    result = check_tone(
        "Tja. Tja. tja! We komen erop terug; echt, we komen erop terug, binnenkort."
    )
    assert [(p.rule, p.excerpt) for p in result.problems] == [
        ("sarcasm", "Tja"),
        ("vague_promise", "komen erop terug"),
        ("vague_promise", "binnenkort"),
    ]


def test_results_are_frozen_values() -> None:
    problem = check_tone("Tja.").problems[0]
    assert problem == Problem("sarcasm", problem.reason, "Tja")
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.rule = "ego"  # type: ignore[misc]


# --- blame -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We hadden u veel sneller moeten antwoorden; dat ligt bij ons.",
        "We hadden je veel sneller moeten antwoorden; dat ligt bij ons.",
        "Uw terugbetaling had allang rond moeten zijn; dat is onze fout.",
        "Dat had niet mogen gebeuren.",
        "Ik had u eerder moeten terugbellen.",
        "U had allang uw geld terug moeten krijgen.",
        "Het ligt niet aan u, maar aan ons.",
        "Dat is zeker niet jouw schuld.",
        "We hebben bij PostNL een nieuw pakket aangemeld; u ontvangt het uiterlijk vrijdag 28 november.",
        "DHL bezorgt uw nieuwe pakket morgen tussen 9.00 en 13.00 uur.",
        "Een collega belt u vandaag voor 17.00 uur.",
    ],
)
def test_the_shop_admitting_fault_or_naming_a_carrier_neutrally_passes(text: str) -> None:
    assert check_tone(text).ok, check_tone(text).explain()


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("U had moeten zien dat het maat 42 was.", "U had moeten"),
        ("Had je maar gebeld.", "Had je maar"),
        ("Eigen schuld, dikke bult.", "Eigen schuld"),
        ("Dat is jouw eigen fout.", "jouw eigen fout"),
        ("Dat ligt aan u.", "Dat ligt aan u"),
        ("Je hebt zelf de verkeerde kleur gekozen.", "Je hebt zelf"),
        ("Het is de schuld van PostNL.", "schuld van PostNL"),
        ("De fout ligt bij de vervoerder.", "De fout ligt bij de vervoerder"),
        ("Dat was een fout van onze collega.", "fout van onze collega"),
        ("Dit is niet onze schuld.", "niet onze schuld"),
        ("Daar kunnen wij niets aan doen.", "Daar kunnen wij niets aan doen"),
        ("Dat kwam door de techniek.", "kwam door de techniek"),
        ("Lees de voorwaarden.", "Lees de voorwaarden"),
    ],
)
def test_blame(text: str, excerpt: str) -> None:
    assert excerpts(text) == [("blame", excerpt)]


# --- ego and sarcasm -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Nogmaals onze excuses.",
        "Nogmaals bedankt!",
        "Veel lol ermee!",
        "Hopelijk tot binnenkort.",
        "Uw klacht is terecht.",
        "We kijken ernaar uit u weer te helpen.",
        "Blijkbaar is er bij het inpakken iets misgegaan; we sturen vandaag een nieuwe.",
        'Uw "Classic" koekenpan is vandaag verzonden.',
    ],
)
def test_near_misses_for_ego_and_sarcasm_pass(text: str) -> None:
    assert check_tone(text).ok, check_tone(text).explain()


@pytest.mark.parametrize(
    ("text", "rule", "excerpt"),
    [
        ("Wat kinderachtig.", "ego", "kinderachtig"),
        ("Nogmaals: wij versturen niet op zondag.", "ego", "Nogmaals"),
        ("Zoals al gezegd kan dat niet.", "ego", "Zoals al gezegd"),
        ("Wij zijn al 20 jaar de beste.", "ego", "Wij zijn al 20 jaar"),
        ("Jullie zijn toch ook geen kinderen, haha.", "sarcasm", "haha"),
        ("Wat een verrassing.", "sarcasm", "Wat een verrassing"),
        ("Uw 'probleem' is opgelost.", "sarcasm", "Uw 'probleem'"),
        ("Blijkbaar weet u het beter.", "sarcasm", "Blijkbaar weet u"),
    ],
)
def test_ego_and_sarcasm(text: str, rule: str, excerpt: str) -> None:
    assert excerpts(text) == [(rule, excerpt)]


# --- shouting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We versturen met DHL, UPS, GLS of DPD; in NL en BE.",
        "Betalen kan met iDEAL; de BTW, ons IBAN en KVK-nummer staan op de factuur en in de FAQ.",
        "PostNL bezorgt morgen.",
        "Gebruik code SORRY-7KQ2M9XT of WELKOM2025 bij het afrekenen.",
        "Fijn! Dank u wel!",
        "Wat is uw bestelnummer? Dan zoeken we het vandaag uit.",
    ],
)
def test_acronyms_codes_and_one_or_two_exclamation_marks_are_not_shouting(text: str) -> None:
    assert check_tone(text, allowed=["SORRY-7KQ2M9XT"]).ok, check_tone(text).explain()


def test_an_allowed_shop_name_in_capitals_is_not_shouting() -> None:
    text = "Dank u wel namens KOOKWINKEL DE PAN."
    assert rules_of(check_tone(text)) == {"shouting"}
    assert check_tone(text, allowed=["Kookwinkel De Pan"]).ok


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("Dat is NIET waar, LET op.", "NIET"),
        ("Uw pakket is VANDAAG verstuurd.", "VANDAAG"),
        ("Dank u!!", "!!"),
        ("Hoe kan dat?!", "?!"),
        ("Fijn! Top! Super!", "Super!"),
    ],
)
def test_shouting(text: str, excerpt: str) -> None:
    assert ("shouting", excerpt) in excerpts(text)


def test_one_short_word_in_capitals_is_not_shouting() -> None:
    assert check_tone("Dat is NIET de bedoeling.").ok


# --- vague promises --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "vague",
    [
        "We komen erop terug",
        "We komen er zo snel mogelijk op terug",
        "We gaan een onderzoek instellen",
        "We kijken ernaar",
        "We nemen contact met u op",
        "Uw retour is in behandeling",
        "U ontvangt het bedrag binnenkort",
        "We lossen het op korte termijn op",
    ],
)
@pytest.mark.parametrize(
    "moment",
    [
        "uiterlijk donderdag 28 november",
        "op 28-11",
        "vóór 28 november",
        "vrijdag",
        "vandaag",
        "morgen",
        "vanmiddag",
        "binnen 2 werkdagen",
        "binnen 24 uur",
        "voor 17.00 uur",
    ],
)
def test_a_vague_promise_needs_a_moment_in_the_same_sentence(vague: str, moment: str) -> None:
    assert rules_of(check_tone(f"{vague}.")) == {"vague_promise"}
    assert check_tone(f"{vague}, {moment}.").ok, check_tone(f"{vague}, {moment}.").explain()
    assert rules_of(check_tone(f"{vague}. Dat doen we {moment}.")) == {"vague_promise"}


def test_the_example_from_the_care_rules() -> None:
    assert check_tone(
        "We gaan een onderzoek instellen en laten u uiterlijk donderdag 28 november weten wat we "
        "vonden."
    ).ok
    assert excerpts("We gaan een onderzoek instellen.") == [
        ("vague_promise", "onderzoek instellen")
    ]


def test_a_date_the_reply_refers_back_to_is_no_moment() -> None:
    text = "We nemen contact met u op over uw bestelling van 20 november."
    assert rules_of(check_tone(text)) == {"vague_promise"}


def test_the_customers_own_wish_for_speed_is_no_promise() -> None:
    assert check_tone("We begrijpen dat u uw pan zo snel mogelijk wilt gebruiken.").ok
    assert rules_of(check_tone("We sturen uw pan zo snel mogelijk.")) == {"vague_promise"}


# --- review requests -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Wilt u uw review verwijderen?",
        "Wil je je recensie aanpassen?",
        "Zou u uw sterren willen aanpassen?",
        "Als u de beoordeling aanpast, storten we het bedrag terug.",
        "In ruil voor een positieve review krijgt u 10% korting.",
        "U krijgt korting als u uw review bijstelt.",
        "Na het verwijderen van de review betalen we u terug.",
        "Haal je review offline.",
        "Trek uw beoordeling alstublieft in.",
        "Mocht je jouw waardering willen herzien, graag.",
    ],
)
def test_review_requests(text: str) -> None:
    assert rules_of(check_tone(text)) == {"review_request"}


@pytest.mark.parametrize(
    "text",
    [
        "Dank u voor uw review.",
        "Nogmaals bedankt voor je recensie en de vijf sterren!",
        "Wij verwijderen nooit reviews.",
        "Wij vragen u niet om uw review aan te passen.",
        "We hebben na het lezen van uw review de productfoto aangepast.",
        "Uw beoordeling is terecht; uw volgende bestelling versturen we gratis.",
    ],
)
def test_mentioning_a_review_without_asking_to_change_it_passes(text: str) -> None:
    assert check_tone(text).ok, check_tone(text).explain()


# --- personal data ---------------------------------------------------------------------------

PERSONAL = [
    ("Mail naar piet@hotmail.com.", "piet@hotmail.com"),
    ("Bel 06-12345678.", "06-12345678"),
    ("Bel 0612345678.", "0612345678"),
    ("Bel +31 6 1234 5678.", "+31 6 1234 5678"),
    ("Bel 020-1234567.", "020-1234567"),
    ("Bel 085 123 4567.", "085 123 4567"),
    ("Over bestelnummer 123456.", "bestelnummer 123456"),
    ("Over ordernummer 2025-12345.", "ordernummer 2025-12345"),
    ("Over order #12345.", "order #12345"),
    ("Over 98765432.", "98765432"),
    ("Naar Kerkstraat 12.", "Kerkstraat 12"),
    ("Naar Laan van Meerdervoort 7a.", "Laan van Meerdervoort 7a"),
    ("In 1234 AB.", "1234 AB"),
    ("Op NL91 ABNA 0417 1643 00.", "NL91 ABNA 0417 1643 00"),
]


@pytest.mark.parametrize(("text", "excerpt"), PERSONAL)
def test_personal_data_is_blocked_in_public(text: str, excerpt: str) -> None:
    assert excerpts(text) == [("personal_data", excerpt)]


@pytest.mark.parametrize(("text", "excerpt"), PERSONAL)
def test_a_private_mail_may_hold_personal_data(text: str, excerpt: str) -> None:
    assert check_tone(text, public=False).ok


def test_a_private_mail_still_follows_the_other_rules() -> None:
    text = "Tja, we komen erop terug op 06-12345678."
    assert rules_of(check_tone(text, public=False)) == {"sarcasm", "vague_promise"}
    assert rules_of(check_tone(text)) == {"sarcasm", "vague_promise", "personal_data"}


def test_allowed_strings_are_the_shops_own_and_compared_case_insensitively() -> None:
    text = "Mail HALLO@DePan.nl of bel 030 123 4567; we zitten aan de Kerkstraat 12."
    allowed = ["hallo@depan.nl", "030 123 4567", "kerkstraat 12", "", "  "]
    assert check_tone(text, allowed=allowed).ok
    assert excerpts(text, allowed=["hallo@depan.nl"]) == [
        ("personal_data", "030 123 4567"),
        ("personal_data", "Kerkstraat 12"),
    ]
    assert excerpts("Mail info@depan.nl.", allowed=["hallo@depan.nl"]) == [
        ("personal_data", "info@depan.nl")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Uw bestelling van 28 november 2025 is verzonden.",
        "De factuur van 28-11-2025 zit in de bijlage.",
        "U betaalde € 24,95 en krijgt 10% korting.",
        "Het bedrag staat binnen 5 werkdagen op uw rekening; de garantie is 2 jaar.",
        "Wilt u ons uw bestelnummer mailen via hallo@depan.nl?",
        "De pan is ovenvast tot 220 graden en weegt 2,5 kg.",
        "U kunt het pakket ophalen bij het PostNL-punt in de Dorpsstraat.",
    ],
)
def test_dates_amounts_and_durations_are_not_personal_data(text: str) -> None:
    assert check_tone(text, allowed=["hallo@depan.nl"]).ok, check_tone(text).explain()


# --- the template drafts ---------------------------------------------------------------------

POLICIES = [
    Policy(
        shop_name="Kookwinkel De Pan",
        signature="Sanne",
        register=register,
        contact_email="hallo@depan.nl",
    )
    for register in ("u", "je")
]
KINDS = ("complaint", "compliment", "question")
ASPECT_CHOICES = [None, *ASPECTS]


@pytest.mark.parametrize(
    ("kind", "aspect", "policy"),
    list(itertools.product(KINDS, ASPECT_CHOICES, POLICIES)),
    ids=lambda value: getattr(value, "register", value),
)
def test_every_template_draft_passes(kind: str, aspect: str | None, policy: Policy) -> None:
    for i in range(4):  # several keys, so that different phrasings are chosen
        facts = ReviewFacts(
            key=f"r{i}",
            kind=kind,
            channel="review",
            text="...",
            author="Marieke",
            aspects={aspect: ["x"]} if aspect else {},
        )
        draft = compose(facts, policy, today=datetime.date(2025, 11, 24))
        assert draft is not None
        result = check_tone(draft.text, allowed=["hallo@depan.nl"])
        assert result.ok, f"{draft.text}\n{result.explain()}"


# --- arbitrary text --------------------------------------------------------------------------

FRAGMENTS = [
    *(text for text, _, _ in ROWS[::7]),
    "u had",
    "moeten",
    "!!",
    "?!",
    "ALLANG",
    "06-",
    "12345678",
    "@",
    "review",
    "verwijderen",
    "binnenkort",
    "28 november",
    "\n",
    ".",
    '"',
    "'",
    "😉",
    "ß",
    "İ",
]


@settings(max_examples=150, deadline=None)
@given(
    text=st.one_of(
        st.text(max_size=300),
        st.lists(st.sampled_from(FRAGMENTS), max_size=12).map(" ".join),
    ),
    public=st.booleans(),
    allowed=st.lists(st.one_of(st.sampled_from(ALLOWED), st.text(max_size=8)), max_size=3),
)
def test_check_tone_never_raises_and_is_deterministic(
    text: str, public: bool, allowed: list[str]
) -> None:
    first = check_tone(text, public=public, allowed=allowed)
    assert check_tone(text, public=public, allowed=tuple(allowed)) == first
    assert first.ok == (not first.problems)
    assert first.explain() == "\n".join(problem.reason for problem in first.problems)
    keys = [(problem.rule, problem.excerpt.casefold()) for problem in first.problems]
    assert len(keys) == len(set(keys))
    for problem in first.problems:
        assert problem.rule in RULES
        assert problem.excerpt and problem.excerpt in text
