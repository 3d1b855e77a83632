"""Which parts of a webshop a review is about, found by Dutch trigger words."""

from __future__ import annotations

import pytest

from sentiment.aspects import ASPECTS, find_aspects

CASES = [
    ("levering en bezorgtijd", "De bezorging duurde ruim twee weken.", "bezorging"),
    ("levering en bezorgtijd", "Mijn bestelling kwam te laat.", "te laat"),
    ("levering en bezorgtijd", "PostNL heeft het bij de buren afgegeven.", "postnl"),
    ("beschadigd of verkeerd geleverd", "De schaal was gebroken bij aankomst.", "gebroken"),
    ("beschadigd of verkeerd geleverd", "Ik kreeg de verkeerde maat.", "verkeerde"),
    ("beschadigd of verkeerd geleverd", "Er ontbrak een deksel.", "ontbrak"),
    ("productkwaliteit", "De afwerking van het handvat is matig.", "afwerking"),
    ("productkwaliteit", "Na twee keer gebruik begon de pan te roesten.", "roesten"),
    ("retour en terugbetaling", "Ik wacht nog steeds op mijn terugbetaling.", "terugbetaling"),
    ("retour en terugbetaling", "Ik wil mijn geld terug.", "geld terug"),
    ("klantenservice en bereikbaarheid", "De klantenservice is onbereikbaar.", "klantenservice"),
    ("klantenservice en bereikbaarheid", "Ik heb drie keer gebeld.", "gebeld"),
    ("prijs", "Voor deze prijs kun je niet klagen.", "prijs"),
    ("prijs", "De verzendkosten vond ik hoog.", "verzendkosten"),
    ("verpakking", "Alles zat in veel te veel plastic.", "plastic"),
    ("verpakking", "Mooi ingepakt in een stevige doos.", "ingepakt"),
    ("website en bestellen", "Het afrekenen met iDEAL ging vlot.", "ideal"),
    ("website en bestellen", "De website is overzichtelijk.", "website"),
]


@pytest.mark.parametrize(("aspect", "text", "trigger"), CASES)
def test_each_aspect_is_found_with_its_trigger_word(aspect: str, text: str, trigger: str) -> None:
    found = find_aspects(text)
    assert aspect in found
    assert trigger in found[aspect]


def test_every_aspect_has_a_sentence_above() -> None:
    assert {aspect for aspect, _, _ in CASES} == set(ASPECTS)


def test_several_aspects_at_once() -> None:
    text = (
        "Het pakket kwam beschadigd aan, de klantenservice nam niet op en op mijn "
        "terugbetaling wacht ik nog steeds."
    )
    found = find_aspects(text)
    assert {
        "levering en bezorgtijd",
        "beschadigd of verkeerd geleverd",
        "klantenservice en bereikbaarheid",
        "retour en terugbetaling",
    } <= set(found)
    assert found["beschadigd of verkeerd geleverd"] == ["beschadigd"]


@pytest.mark.parametrize(
    "text",
    ["", "Ik vind koken leuk.", "Mijn zus heeft morgen haar verjaardag.", "Mooi weer vandaag!"],
)
def test_unrelated_text_has_no_aspects(text: str) -> None:
    assert find_aspects(text) == {}


def test_matching_ignores_case_and_reports_lowercase_words() -> None:
    found = find_aspects("KLANTENSERVICE reageert niet. Klantenservice is een ramp.")
    assert found == {"klantenservice en bereikbaarheid": ["klantenservice"]}
    assert find_aspects("Snel Geleverd") == {"levering en bezorgtijd": ["geleverd"]}


def test_triggers_match_at_a_word_start_only() -> None:
    # "stuk" is a damage word, but not inside "stukje" or at the end of "gebruikstuk"
    assert "beschadigd of verkeerd geleverd" not in find_aspects("Een stukje taart erbij.")
    assert "beschadigd of verkeerd geleverd" in find_aspects("Het deksel was stuk.")
    assert "prijs" not in find_aspects("Het duurde lang.")


def test_words_are_listed_once_and_at_most_five() -> None:
    text = "levering leverde geleverd leveringen levertijd leverancier levering levering"
    words = find_aspects(text)["levering en bezorgtijd"]
    assert len(words) == 5
    assert len(set(words)) == len(words)
    assert words[0] == "levering"
