"""The plan a reply follows: case, severity, compensation by policy, loyalty, demands past the
shop's terms, question topics."""

from __future__ import annotations

import pytest

from drafts import Point, Policy, ReviewFacts, plan_for
from drafts.plan import elapsed_days, severity_of

POLICY = Policy(shop_name="Kookwinkel De Pan", signature="Sanne", contact_email="hallo@depan.nl")


def facts(
    text: str = "...",
    *,
    kind: str = "complaint",
    score: float = -0.5,
    rating: float | None = None,
    points: tuple[Point, ...] = (),
    aspects: tuple[str, ...] = (),
    contacts: int = 0,
) -> ReviewFacts:
    return ReviewFacts(
        key="k", kind=kind, channel="review", text=text, rating_norm=rating, score=score,
        aspects={aspect: ["x"] for aspect in aspects}, points=points, earlier_contacts=contacts,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("score", "rating", "contacts", "expected"),
    [
        (-0.2, None, 0, "light"),
        (-0.2, 0.5, 0, "light"),
        (-0.4, None, 0, "serious"),
        (-0.2, 0.25, 0, "serious"),
        (-0.8, None, 0, "severe"),
        (-0.5, 0.0, 0, "severe"),  # one star and a clearly negative text
        (-0.2, None, 2, "severe"),  # the third time this customer complains
    ],
)
def test_severity(score: float, rating: float | None, contacts: int, expected: str) -> None:
    assert severity_of(facts(score=score, rating=rating, contacts=contacts)) == expected


@pytest.mark.parametrize(
    ("severity_score", "percent"), [(-0.2, 0), (-0.4, 10), (-0.8, 15)]
)  # fmt: skip
def test_the_discount_follows_the_policy_per_severity(severity_score: float, percent: int) -> None:
    plan = plan_for(facts(score=severity_score), POLICY)
    assert plan is not None and plan.case == "complaint"
    assert plan.code_percent == percent
    assert plan.code_purpose == ("sorry" if percent else None)
    stingy = Policy(shop_name="X", signature="S", discount_percent={"severe": 0})
    assert plan_for(facts(score=severity_score), stingy).code_percent == 0  # type: ignore[union-attr]


def test_remedies_follow_the_policy_per_aspect() -> None:
    damaged = plan_for(facts(aspects=("beschadigd of verkeerd geleverd",)), POLICY)
    assert damaged is not None and damaged.remedies == ("replacement", "free_return")
    assert damaged.shops_fault
    quality = plan_for(facts(aspects=("productkwaliteit",)), POLICY)
    assert quality is not None and not quality.shops_fault
    custom = Policy(shop_name="X", signature="S", remedies={"prijs": ("refund",)})
    assert plan_for(facts(aspects=("prijs",)), custom).remedies == ("refund",)  # type: ignore[union-attr]


def test_the_most_specific_aspect_leads() -> None:
    plan = plan_for(
        facts(aspects=("levering en bezorgtijd", "beschadigd of verkeerd geleverd")), POLICY
    )
    assert plan is not None and plan.aspect == "beschadigd of verkeerd geleverd"


def test_a_complaint_with_clear_praise_is_mixed() -> None:
    points = (
        Point("Mooie pan", 0.6, ("productkwaliteit",)),
        Point("de levering duurde veel te lang", -0.5, ("levering en bezorgtijd",)),
    )
    plan = plan_for(facts(points=points), POLICY)
    assert plan is not None and plan.case == "mixed"
    assert plan.aspect == "levering en bezorgtijd"
    assert plan.praised_aspect == "productkwaliteit"


def test_a_compliment_with_a_clear_complaint_is_mixed_and_gets_the_remedy() -> None:
    points = (
        Point("Fijne winkel", 0.7, ()),
        Point("de schaal kwam kapot aan", -0.6, ("beschadigd of verkeerd geleverd",)),
    )
    plan = plan_for(facts(kind="compliment", score=0.4, points=points), POLICY)
    assert plan is not None and plan.case == "mixed"
    assert plan.remedies == ("replacement", "free_return")


def test_a_compliment_with_a_mild_remark_stays_a_compliment() -> None:
    points = (Point("Top pan", 0.8, ()), Point("doos was wat groot", -0.25, ("verpakking",)))
    plan = plan_for(facts(kind="compliment", score=0.6, points=points), POLICY)
    assert plan is not None and plan.case == "compliment"


@pytest.mark.parametrize(("contacts", "loyal"), [(0, False), (1, False), (2, True), (5, True)])
def test_a_loyal_customer_gets_the_loyalty_code(contacts: int, loyal: bool) -> None:
    plan = plan_for(facts(kind="compliment", score=0.7, contacts=contacts), POLICY)
    assert plan is not None
    assert plan.code_purpose == ("loyalty" if loyal else None)
    assert plan.code_percent == (POLICY.loyalty_percent if loyal else 0)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Ik heb de pan 6 weken geleden gekocht", 42),
        ("na drie maanden is hij kapot", 90),
        ("Een jaar geleden besteld", 365),
        ("al anderhalf jaar in gebruik", 547),
        ("Na 10 dagen kwam hij aan, en 2 weken later was hij stuk", 14),
        ("Geen tijd genoemd", None),
    ],
)
def test_elapsed_days(text: str, days: int | None) -> None:
    assert elapsed_days(text) == days


def test_money_back_past_the_return_term_is_a_demand() -> None:
    text = "Ik heb de pan 6 weken geleden gekocht en wil mijn geld terug."
    plan = plan_for(facts(text, kind="other", score=0.0), POLICY)
    assert plan is not None and plan.case == "demand" and plan.elapsed_days == 42
    assert plan.code_percent == 0  # a kind no comes with what is possible, not with a code
    within = plan_for(facts("Na 10 dagen wil ik mijn geld terug, slecht!"), POLICY)
    assert within is not None and within.case == "complaint"
    generous = Policy(shop_name="X", signature="S", return_days=60)
    assert plan_for(facts(text), generous).case == "complaint"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Kan ik de pan retourneren als hij niet past?", "return"),
        ("Hoe lang is de garantie op deze pan?", "guarantee"),
        ("Werkt de braadpan op inductie?", None),
    ],
)
def test_question_topics(text: str, topic: str | None) -> None:
    plan = plan_for(facts(text, kind="question", score=0.0), POLICY)
    assert plan is not None and plan.case == "question" and plan.topic == topic


def test_other_texts_get_no_plan() -> None:
    assert plan_for(facts("Pakket ontvangen.", kind="other", score=0.0), POLICY) is None
