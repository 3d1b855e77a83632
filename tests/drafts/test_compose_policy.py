"""Drafts by the shop's policy: discount codes, remedies, the plain admission, a kind no past the
return term, answers to questions, the customer's own words, signatures; and every draft of a
wide grid passes the tone check and the rubric."""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest

from drafts import Code, Point, Policy, ReplyDraft, ReviewFacts, check_tone, compose, plan_for
from drafts.compose import greeting, quotable
from drafts.rubric import missing_elements
from sentiment.aspects import ASPECTS

TODAY = date(2026, 11, 24)  # a Tuesday
POLICY = Policy(shop_name="Kookwinkel De Pan", signature="Sanne", contact_email="hallo@depan.nl")
CODE = Code("SORRY-7KQ2M9XT", 15, date(2027, 2, 22))


def facts(
    text: str = "Slecht.",
    *,
    kind: str = "complaint",
    score: float = -0.8,
    aspects: tuple[str, ...] = (),
    points: tuple[Point, ...] = (),
    key: str = "k1",
    channel: str = "review",
    contacts: int = 0,
    author: str | None = "Marieke V.",
) -> ReviewFacts:
    return ReviewFacts(
        key=key, kind=kind, channel=channel, text=text, author=author, score=score,
        aspects={aspect: ["x"] for aspect in aspects}, points=points, earlier_contacts=contacts,
    )  # fmt: skip


def draft(f: ReviewFacts, policy: Policy = POLICY, code: Code | None = None) -> ReplyDraft:
    result = compose(f, policy, today=TODAY, code=code)
    assert result is not None
    return result


def test_a_severe_complaint_gives_the_code_unconditionally_with_its_expiry() -> None:
    text = draft(facts(aspects=("levering en bezorgtijd",)), code=CODE).text
    sentence = next(s for s in text.split("\n\n") if "SORRY-7KQ2M9XT" in s)
    assert "15% korting op uw volgende bestelling" in sentence
    assert "geldig tot en met 22 februari 2027" in sentence
    assert "als dank voor uw geduld" in sentence.lower()
    assert not re.search(r"\b(als u|mits|op voorwaarde|review)\b", sentence, re.IGNORECASE)


def test_the_code_expiry_is_not_a_promised_date() -> None:
    result = draft(facts(aspects=("levering en bezorgtijd",)), code=CODE)
    assert result.followup_date == date(2026, 11, 26)


def test_a_loyal_customer_is_thanked_with_the_loyalty_code() -> None:
    loyal = Code("DANK-ABCD2345", 10, date(2027, 2, 22), purpose="loyalty")
    result = draft(facts("Top!", kind="compliment", score=0.8, contacts=3), code=loyal)
    assert "trouwe klant" in result.text and "DANK-ABCD2345" in result.text
    assert "loyalty_code" in result.elements


@pytest.mark.parametrize(
    ("aspect", "expected"),
    [
        ("beschadigd of verkeerd geleverd", ("nieuw exemplaar", "gratis retourlabel")),
        ("productkwaliteit", ("nieuw exemplaar", "gratis retourlabel")),
        ("retour en terugbetaling", ("uiterlijk dinsdag 1 december op uw rekening",)),
    ],
)
def test_remedies_per_aspect(aspect: str, expected: tuple[str, ...]) -> None:
    text = draft(facts(aspects=(aspect,))).text
    for words in expected:
        assert words in text


def test_the_fault_is_admitted_where_it_is_the_shops() -> None:
    admits = re.compile(r"onze fout|ligt bij ons|verantwoordelijk")
    assert admits.search(draft(facts(aspects=("beschadigd of verkeerd geleverd",))).text)
    assert not admits.search(draft(facts(aspects=("productkwaliteit",))).text)


def test_money_back_after_six_weeks_gets_a_kind_no_and_what_is_possible() -> None:
    text = "Ik heb de pan 6 weken geleden gekocht en wil mijn geld terug."
    result = draft(facts(text, kind="other", score=0.0))
    assert result.plan.case == "demand"
    assert "tot 14 dagen na ontvangst" in result.text
    assert "helaas niet terugbetalen" in result.text
    assert "garantie van 2 jaar" in result.text
    assert result.followup_date == date(2026, 11, 26)
    old = draft(facts("Na drie jaar is hij kapot, ik wil mijn geld terug.", score=-0.5))
    assert "reparatie" in old.text and "garantie van" not in old.text


def test_a_return_question_gets_the_answer_from_the_policy() -> None:
    policy = Policy(shop_name="De Pan", signature="Sanne", contact_email="hallo@depan.nl",
                    return_days=30)  # fmt: skip
    result = draft(facts("Kan ik de pan retourneren?", kind="question", score=0.0), policy)
    assert "Retourneren kan tot 30 dagen na ontvangst" in result.text
    assert "hallo@depan.nl" in result.text


def test_a_mixed_review_thanks_for_the_praise_and_fixes_the_complaint() -> None:
    points = (
        Point("Mooie pan", 0.6, ("productkwaliteit",)),
        Point("de levering duurde veel te lang", -0.5, ("levering en bezorgtijd",)),
    )
    text = draft(facts(points=points, aspects=("productkwaliteit", "levering en bezorgtijd"))).text
    assert "tevreden bent over de kwaliteit" in text
    assert "Over de levering bent u minder te spreken" in text or "de levering u tegenviel" in text
    assert "uiterlijk donderdag 26 november" in text.lower()


def test_the_customers_own_words_are_taken_up() -> None:
    points = (Point("De pan kwam met een deuk binnen", -0.6, ()),)
    text = draft(facts(points=points)).text
    assert '"de pan kwam met een deuk binnen"' in text


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("De pan kwam met een deuk binnen.", "de pan kwam met een deuk binnen"),
        ("NOOIT MEER BESTELLEN HIER", "nooit meer bestellen hier"),
        ("waar gebeurd,komisch", "waar gebeurd, komisch"),
        ("Bestelling 123456 niet ontvangen", None),  # an order number
        ("mail mij op piet@example.nl", None),
        ("lees <script>alert(1)</script>", None),
        ("jullie zijn echt belachelijk", None),  # the tone check stops it
        (" ".join(["woord"] * 25), None),  # too long to quote
    ],
)
def test_what_may_be_quoted(clause: str, expected: str | None) -> None:
    assert quotable(Point(clause, -0.5, ())) == expected


def test_signatures_are_chosen_per_review_and_kept() -> None:
    policy = Policy(shop_name="De Pan", signature=("Sanne", "Joris", "Fatima"))
    names = {draft(facts(key=f"k{n}"), policy).text.splitlines()[-2] for n in range(30)}
    assert names == {"Sanne", "Joris", "Fatima"}
    assert draft(facts(key="k7"), policy).text == draft(facts(key="k7"), policy).text


def test_a_name_in_capitals_is_greeted_normally() -> None:
    assert greeting("MARIEKE") == "Beste Marieke,"


# --- the grid: every case, aspect, register, channel and policy passes tone and rubric -------

GRID_POINTS = {
    "none": (),
    "praise": (Point("Mooie pannen en een fijne winkel", 0.7, ("productkwaliteit",)),),
    "criticism": (Point("De pan kwam kapot aan", -0.7, ("beschadigd of verkeerd geleverd",)),),
}


def grid() -> list[tuple[ReviewFacts, Policy, Code | None]]:
    cases = []
    policies = [
        POLICY,
        Policy(shop_name="De Pan", signature=("Sanne", "Joris"), register="je",
               contact_email="hallo@depan.nl"),
        Policy(shop_name="De Pan", signature="Team De Pan"),
    ]  # fmt: skip
    texts = {
        "complaint": "Slecht geholpen.",
        "compliment": "Top!",
        "question": "Kan ik dit ruilen?",
        "other": "Na 2 maanden wil ik mijn geld terug.",
    }
    for (kind, text), policy, aspect, (_, points), channel, contacts in itertools.product(
        texts.items(), policies, (None, *ASPECTS), GRID_POINTS.items(), ("review", "mail"), (0, 4)
    ):
        score = {"complaint": -0.8, "compliment": 0.8}.get(kind, 0.0)
        f = facts(text, kind=kind, score=score, aspects=(aspect,) if aspect else (),
                  points=points, key=f"{kind}{aspect}{channel}", channel=channel,
                  contacts=contacts)  # fmt: skip
        plan = plan_for(f, policy)
        code = None
        if plan is not None and plan.code_purpose:
            code = Code("SORRY-ABCD2345", plan.code_percent, date(2027, 2, 22), plan.code_purpose)
        cases.append((f, policy, code))
    return cases


def test_every_draft_in_the_grid_passes_the_tone_check_and_the_rubric() -> None:
    checked = 0
    for f, policy, code in grid():
        result = compose(f, policy, today=TODAY, code=code)
        if result is None:
            continue
        allowed = [a for a in (policy.contact_email, code.text if code else "") if a]
        tone = check_tone(result.text, public=f.channel == "review", allowed=allowed)
        assert tone.ok, (tone.explain(), result.text)
        missing = missing_elements(
            result.text, plan=result.plan, facts=f, policy=policy, today=TODAY, code=code
        )
        assert missing == [], (missing, result.text)
        checked += 1
    assert checked > 1000


def test_the_rubric_sees_what_an_edit_took_out() -> None:
    f = facts(aspects=("beschadigd of verkeerd geleverd",))
    result = draft(f, code=CODE)

    def missing(text: str) -> list[str]:
        return missing_elements(text, plan=result.plan, facts=f, policy=POLICY, today=TODAY,
                                code=CODE)  # fmt: skip

    assert missing(result.text) == []
    assert "volgende stap met datum" in missing(
        result.text.replace("Uiterlijk donderdag 26 november", "Binnenkort")
    )
    assert "kortingscode SORRY-7KQ2M9XT" in missing(
        result.text.replace("SORRY-7KQ2M9XT", "een code")
    )
    assert "uitnodiging om persoonlijk verder te gaan" in missing(
        result.text.replace("hallo@depan.nl", "ons")
    )
    assert "excuses" in missing(re.sub(r"(excuses|sorry|spijt)", "", result.text))
