"""Reading promised dates from a reply's final wording."""

from __future__ import annotations

from datetime import date

import pytest

from drafts.compose import compose
from drafts.facts import Policy, ReviewFacts
from drafts.promises import promised_dates
from drafts.workdays import add_working_days

WRITTEN = date(2026, 11, 24)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("U hoort uiterlijk donderdag 26 november van ons.", date(2026, 11, 26)),
        ("We bellen u op 3 dec. terug.", date(2026, 12, 3)),
        ("Uiterlijk 5 januari staat het geld op uw rekening.", date(2027, 1, 5)),  # next year
        ("Voor 1 maart 2027 ontvangt u de vervanging.", date(2027, 3, 1)),
        ("Het bedrag staat binnen 5 werkdagen op uw rekening.", date(2026, 12, 1)),
        ("We sturen het binnen drie dagen na.", date(2026, 11, 27)),
        ("We laten het u morgen weten.", date(2026, 11, 25)),
        ("Overmorgen hoort u van ons.", date(2026, 11, 26)),
    ],
)
def test_a_promised_date_is_found(text: str, expected: date) -> None:
    assert [promise.due for promise in promised_dates(text, written_on=WRITTEN)] == [expected]


def test_no_date_no_promise_and_impossible_dates_are_ignored() -> None:
    assert promised_dates("Dank u wel voor uw mooie woorden!", written_on=WRITTEN) == []
    assert promised_dates("Uiterlijk 31 februari.", written_on=WRITTEN) == []


def test_a_refund_promise_is_recognised_and_each_date_counted_once() -> None:
    text = (
        "We zorgen dat het bedrag uiterlijk dinsdag 1 december op uw rekening staat.\n\n"
        "U hoort uiterlijk donderdag 26 november van ons, en uiterlijk 26 november ook per mail."
    )
    promises = promised_dates(text, written_on=WRITTEN)
    assert [(p.due, p.is_refund) for p in promises] == [
        (date(2026, 11, 26), False),
        (date(2026, 12, 1), True),
    ]


def test_the_date_a_draft_promises_is_read_back_from_its_text() -> None:
    facts = ReviewFacts(
        key="kiyoh:1", kind="complaint", channel="review", text="Pakket al een week onderweg.",
        author="Marieke V.", aspects={"levering en bezorgtijd": ["pakket"]},
    )  # fmt: skip
    policy = Policy(shop_name="De Pollepel", signature="Sanne")
    draft = compose(facts, policy, today=WRITTEN)
    assert draft is not None
    assert [p.due for p in promised_dates(draft.text, written_on=WRITTEN)] == [draft.followup_date]
    assert draft.followup_date == add_working_days(WRITTEN, policy.followup_working_days)


@pytest.mark.parametrize(
    "text",
    [
        "U kunt het artikel binnen 14 dagen kosteloos retourneren.",  # the customer's term
        "We zijn morgen gesloten vanwege de verhuizing.",
        "Uw bestelling van 20 november is helaas beschadigd aangekomen.",
        "Op 20 november hebben we uw pakket verstuurd.",  # a past day
        "Sinds 2 november wachten we op de leverancier.",
        "De actie loopt tot 31 december.",  # no commitment of the shop
        "Morgen is het Sinterklaas.",
    ],
)
def test_dates_that_promise_nothing_are_not_counted(text: str) -> None:
    assert promised_dates(text, written_on=WRITTEN) == []


def test_abbreviated_months_and_passive_promises_count() -> None:
    found = promised_dates("Het bedrag wordt uiterlijk 2 mrt. teruggestort.", written_on=WRITTEN)
    assert [(p.due, p.is_refund) for p in found] == [(date(2027, 3, 2), True)]
    assert found[0].sentence == "Het bedrag wordt uiterlijk 2 mrt. teruggestort."
    found = promised_dates("Uw pakket wordt morgen opnieuw bezorgd.", written_on=WRITTEN)
    assert [p.due for p in found] == [date(2026, 11, 25)]
