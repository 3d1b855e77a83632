"""Reviews in schema.org markup (JSON-LD and microdata), and the collector over several pages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from scrapers.base import Batch
from scrapers.errors import HttpStatusError, ParseError, PartialFailure
from scrapers.records import RawReview
from scrapers.schemaorg import SchemaOrgCollector, SchemaOrgSettings, parse
from tests.scrapers.conftest import MakeClient, Reply, ScriptedServer

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SHOP = "https://theelichtje.example/producten/"


def page(pages: Path, name: str) -> str:
    return (pages / "schemaorg" / name).read_text(encoding="utf-8")


def by_author(records: list[RawReview]) -> dict[str | None, RawReview]:
    return {record.author: record for record in records}


def jsonld(*objects: str) -> str:
    """A minimal page with one JSON-LD block per object."""
    blocks = "".join(f'<script type="application/ld+json">{o}</script>' for o in objects)
    return f"<!DOCTYPE html><html><head>{blocks}</head><body><h1>Thee</h1></body></html>"


def review_page(review: str) -> str:
    return jsonld(f'{{"@context": "https://schema.org", "@type": "Product", "review": [{review}]}}')


# JSON-LD shapes ------------------------------------------------------------------------


def test_a_top_level_product_object_gives_its_reviews(pages: Path) -> None:
    url = SHOP + "theepot-gietijzer"
    records = parse(page(pages, "theepot-product.html"), url)
    assert [record.author for record in records] == ["Marloes K.", "Henk & Ria", "Sevda"]
    marloes = records[0]
    assert marloes.external_id == url + "#review-101"
    assert marloes.title == "Prachtige pot"
    assert marloes.text == "Houdt de thee lang warm. Wel zwaar als hij helemaal vol is."
    assert (marloes.rating, marloes.rating_min, marloes.rating_max) == (4.0, 1.0, 5.0)
    assert marloes.published_at == datetime(2025, 3, 14, 9, 12, tzinfo=AMSTERDAM)
    assert marloes.url == url
    assert marloes.channel == "review"


def test_escaped_characters_and_emoji_survive(pages: Path) -> None:
    records = by_author(parse(page(pages, "theepot-product.html"), SHOP + "theepot-gietijzer"))
    assert records["Henk & Ria"].title == "Mooi & degelijk"
    assert records["Henk & Ria"].text.endswith("samen thee <3")
    assert records["Sevda"].text == "De thee smaakt echt beter dan uit mijn oude pot 😍"


def test_a_relative_review_id_is_resolved_against_the_page(pages: Path) -> None:
    html = page(pages, "theepot-product.html")
    on_pot = by_author(parse(html, SHOP + "theepot-gietijzer"))["Henk & Ria"]
    assert on_pot.external_id == SHOP + "theepot-gietijzer#review-102"
    # The same "#review-102" on another page is another review.
    elsewhere = by_author(parse(html, SHOP + "theepot-zwart"))["Henk & Ria"]
    assert elsewhere.external_id != on_pot.external_id


def test_a_top_level_list_is_read_and_the_organization_ignored(pages: Path) -> None:
    records = parse(page(pages, "theeglazen-lijst.html"), SHOP + "theeglazen-marrakech")
    assert [(record.author, record.rating) for record in records] == [
        ("Youssef", 5.0),
        ("Anouk", 1.0),
    ]
    assert records[1].title is None
    assert records[1].external_id == SHOP + "theeglazen-marrakech#review-78"


def test_a_graph_is_read(pages: Path) -> None:
    records = parse(page(pages, "theezeef-graph.html"), SHOP + "theezeef-rvs")
    assert [record.author for record in records] == ["Gerrit", "Wendy"]
    assert records[0].language == "nl"
    assert records[1].text == "Na twee weken zat er al roest op de rand."


def test_a_ten_point_scale_is_kept_and_a_rating_off_the_scale_dropped(pages: Path) -> None:
    records = by_author(parse(page(pages, "theeproeverij-schaal-10.html"), SHOP + "proeverij"))
    assert (records["Kim"].rating, records["Kim"].rating_max) == (9.0, 10.0)
    assert records["Kim"].rating_norm == pytest.approx(8 / 9)
    assert records["Ruben"].rating == 6.5  # "6,5"
    fleur = records["Fleur"]
    assert fleur.rating is None  # 11 of 10: not believed, but the text is kept
    assert fleur.text == "Een aanrader! Volgend jaar weer."


# Microdata -----------------------------------------------------------------------------


def test_microdata_reviews_are_read_next_to_jsonld_breadcrumbs(pages: Path) -> None:
    url = SHOP + "waterkoker"
    records = parse(page(pages, "waterkoker-microdata.html"), url)
    assert [record.author for record in records] == ["Lotte & Bram", "Dirk", "Ingrid"]
    lotte, dirk, _ = records
    assert lotte.title == "Thee op 80 °C, eindelijk"
    assert lotte.text == "Groene thee op 80 °C smaakt veel zachter. Café-kwaliteit thuis <3 ☕"
    assert (lotte.rating, lotte.rating_min, lotte.rating_max) == (5.0, 1.0, 5.0)
    assert lotte.published_at == datetime(2025, 7, 3, tzinfo=AMSTERDAM)
    assert (dirk.rating, dirk.rating_max, dirk.title) == (2.0, 5.0, None)
    assert all(record.external_id.startswith("h:") for record in records)
    assert len({record.external_id for record in records}) == 3


# Derived ids ---------------------------------------------------------------------------


def test_a_review_without_id_keeps_its_id_when_its_text_is_edited(pages: Path) -> None:
    url = SHOP + "theepot-gietijzer"
    html = page(pages, "theepot-product.html")
    before = by_author(parse(html, url))["Sevda"]
    edited_html = html.replace("uit mijn oude pot 😍", "uit mijn oude pot. Aanrader!")
    edited = by_author(parse(edited_html, url))["Sevda"]
    assert edited.text.endswith("Aanrader!")
    assert edited.external_id == before.external_id  # an update, not a second review
    assert before.external_id == by_author(parse(html, url))["Sevda"].external_id


def test_a_microdata_review_keeps_its_id_when_its_text_is_edited(pages: Path) -> None:
    url = SHOP + "waterkoker"
    html = page(pages, "waterkoker-microdata.html")
    before = by_author(parse(html, url))["Dirk"]
    edited = html.replace("piept bij elke druk.", "piept. Update: nieuwe gekregen, nu prima!")
    after = by_author(parse(edited, url))["Dirk"]
    assert after.text != before.text
    assert after.external_id == before.external_id


def test_derived_ids_differ_by_author_date_and_page(pages: Path) -> None:
    url = SHOP + "theepot-gietijzer"
    html = page(pages, "theepot-product.html")
    original = by_author(parse(html, url))["Sevda"].external_id
    other_date = html.replace("2025-05-20T18:45:00+02:00", "2025-05-21T09:00:00+02:00")
    assert by_author(parse(other_date, url))["Sevda"].external_id != original
    other_author = html.replace('"name": "Sevda"', '"name": "Sevda B."')
    assert by_author(parse(other_author, url))["Sevda B."].external_id != original
    assert by_author(parse(html, SHOP + "theepot-zwart"))["Sevda"].external_id != original


def test_anonymous_undated_reviews_are_told_apart_by_their_text() -> None:
    html = review_page(
        '{"@type": "Review", "reviewBody": "Lekker"}, {"@type": "Review", "reviewBody": "Vies"}'
    )
    records = parse(html, SHOP + "proefpakket")
    assert len({record.external_id for record in records}) == 2


def test_blank_node_ids_are_not_used_as_review_ids() -> None:
    # "_:b0" is numbered per render: a new review would shift every id onto another review.
    html = review_page(
        '{"@type": "Review", "@id": "_:b0", "author": "Anna", "datePublished": "2025-01-02",'
        ' "reviewBody": "Prima"}'
    )
    record = parse(html, SHOP + "a")[0]
    assert record.external_id.startswith("h:")
    assert record.external_id != parse(html, SHOP + "b")[0].external_id


def test_a_review_url_that_is_the_page_itself_is_not_an_id() -> None:
    url = SHOP + "theepot"
    html = review_page(
        f'{{"@type": "Review", "url": "{url}", "author": "Anna", "reviewBody": "Goed"}},'
        f'{{"@type": "Review", "url": "{url}", "author": "Bert", "reviewBody": "Slecht"}}'
    )
    assert [record.author for record in parse(html, url)] == ["Anna", "Bert"]


def test_the_same_review_marked_up_twice_is_returned_once() -> None:
    review = '{"@type": "Review", "@id": "https://theelichtje.example/r/9", "reviewBody": "Prima"}'
    html = jsonld(
        f'{{"@type": "Product", "review": {review}}}',
        f'{{"@type": "Organization", "review": {review}}}',
    )
    assert len(parse(html, SHOP + "theepot")) == 1


# Odd but valid markup ------------------------------------------------------------------


def test_an_author_list_gives_the_first_name() -> None:
    html = review_page(
        '{"@type": "Review", "reviewBody": "Goed", "author": '
        '[{"@type": "Person", "name": "Mila"}, {"@type": "Person", "name": "Sem"}]}'
    )
    assert parse(html, SHOP + "a")[0].author == "Mila"


def test_a_zero_based_scale_keeps_a_zero_rating() -> None:
    html = review_page(
        '{"@type": "Review", "reviewBody": "Niets aan", "reviewRating": '
        '{"ratingValue": 0, "worstRating": 0, "bestRating": 10}}'
    )
    record = parse(html, SHOP + "a")[0]
    assert (record.rating, record.rating_min, record.rating_max) == (0.0, 0.0, 10.0)
    assert record.rating_norm == 0.0


def test_a_rating_without_text_is_a_review_and_a_review_with_neither_is_not() -> None:
    html = review_page(
        '{"@type": "Review", "author": "Anna", "reviewRating": {"ratingValue": "4"}},'
        '{"@type": "Review", "author": "Bert"}'
    )
    records = parse(html, SHOP + "a")
    assert [(record.author, record.text, record.rating) for record in records] == [
        ("Anna", "", 4.0)
    ]


def test_a_half_emoji_from_a_truncating_shop_system_is_replaced() -> None:
    html = review_page('{"@type": "Review", "author": "An", "reviewBody": "Top \\ud83d"}')
    record = parse(html, SHOP + "a")[0]
    assert record.text == "Top \ufffd"
    record.text.encode("utf-8")


@pytest.mark.parametrize("count", ['"NaN"', '"Infinity"', "1e999", '"veel"'])
def test_a_nonsense_review_count_is_ignored(count: str) -> None:
    html = jsonld(f'{{"@type": "AggregateRating", "ratingValue": "4", "reviewCount": {count}}}')
    assert parse(html, SHOP + "a") == []


def test_an_xhtml_page_with_an_xml_declaration_is_read(pages: Path) -> None:
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + page(pages, "theezeef-graph.html")
    assert len(parse(html, SHOP + "theezeef-rvs")) == 2


def test_a_product_without_reviews_yet_is_no_error() -> None:
    html = jsonld('{"@context": "https://schema.org", "@type": "Product", "name": "Nieuw"}')
    assert parse(html, SHOP + "nieuw") == []


# Drift and broken pages ----------------------------------------------------------------


def test_a_page_without_review_markup_is_a_parse_error(pages: Path) -> None:
    with pytest.raises(ParseError) as caught:
        parse(page(pages, "zonder-reviewgegevens.html"), SHOP + "matcha-set?ref=home")
    explanation = caught.value.explain()
    assert explanation == (
        "theelichtje.example/producten/matcha-set kon niet worden gelezen: "
        "geen schema.org-reviewgegevens op de pagina gevonden."
    )


def test_a_page_that_announces_reviews_but_has_none_readable_is_a_parse_error(
    pages: Path,
) -> None:
    with pytest.raises(ParseError, match="meldt 14 reviews"):
        parse(page(pages, "onleesbare-reviews.html"), SHOP + "chai")


def test_a_broken_jsonld_block_does_not_hide_the_other_blocks(pages: Path) -> None:
    records = parse(page(pages, "kapotte-jsonld.html"), SHOP + "rooibos-vanille")
    assert [(record.author, record.rating) for record in records] == [("Esther", 5.0)]


def test_a_page_with_only_broken_jsonld_says_so(pages: Path) -> None:
    broken = page(pages, "kapotte-jsonld.html").split("</script>", 1)[0] + "</script>"
    with pytest.raises(ParseError, match="geen geldige JSON"):
        parse(broken + "</head></html>", SHOP + "rooibos-vanille")


def test_a_broken_block_next_to_a_block_without_reviews_is_a_parse_error() -> None:
    # Reviews lost in the broken block must not look like a product without reviews.
    organization = '{"@context": "https://schema.org", "@type": "Organization", "name": "x"}'
    product = '{"@type": "Product", "review": [{"@type": "Review", "reviewBody": "Lekker"}'
    with pytest.raises(ParseError, match="geen geldige JSON"):
        parse(jsonld(organization, product), SHOP + "rooibos-vanille")


@pytest.mark.parametrize("html", ["", "   ", "\x00\x00", "gewoon wat tekst"])
def test_something_that_is_no_page_is_a_parse_error(html: str) -> None:
    with pytest.raises(ParseError):
        parse(html, SHOP + "leeg")


# Settings and collector ----------------------------------------------------------------


@pytest.mark.parametrize(
    "urls",
    [[], ["theelichtje.example/producten/theepot"], ["ftp://theelichtje.example/"], ["https://"]],
)
def test_invalid_page_lists_are_rejected(urls: list[str]) -> None:
    with pytest.raises(ValidationError):
        SchemaOrgSettings(urls=urls)


def test_the_hosts_are_those_of_the_pages() -> None:
    settings = SchemaOrgSettings(
        urls=[SHOP + "theepot", SHOP + "theezeef", "https://www.theelichtje.example/"]
    )
    hosts = SchemaOrgCollector.hosts(settings)
    assert hosts == {"theelichtje.example", "www.theelichtje.example"}


def test_a_failing_page_is_reported_after_the_good_pages_are_handed_over(
    pages: Path, server: ScriptedServer, make_client: MakeClient
) -> None:
    urls = [
        server.route("/producten/theepot", Reply(200, page(pages, "theepot-product.html"))),
        server.url("/producten/opgeheven?sessie=abc123"),
        server.route("/producten/theezeef", Reply(200, page(pages, "theezeef-graph.html"))),
    ]
    collector = SchemaOrgCollector(
        SchemaOrgSettings(urls=urls), http=make_client(), label="Het Theelichtje"
    )
    batches: list[Batch] = []
    with pytest.raises(PartialFailure) as caught:
        batches.extend(collector.collect(cursor=None))  # keeps what came before the error
    assert [len(batch.records) for batch in batches] == [3, 2]
    failure = caught.value
    assert failure.total == 3
    assert [type(error) for error in failure.failures] == [HttpStatusError]
    explanation = failure.explain()
    assert explanation.startswith("1 van 3 pagina's mislukt.")
    assert f"127.0.0.1:{server.port}/producten/opgeheven" in explanation
    assert "bestaat niet" in explanation
    assert "abc123" not in explanation


def test_a_page_that_drifted_counts_as_a_failed_page(
    pages: Path, server: ScriptedServer, make_client: MakeClient
) -> None:
    urls = [
        server.route("/matcha", Reply(200, page(pages, "zonder-reviewgegevens.html"))),
        server.route("/glazen", Reply(200, page(pages, "theeglazen-lijst.html"))),
    ]
    collector = SchemaOrgCollector(SchemaOrgSettings(urls=urls), http=make_client(), label="x")
    batches: list[Batch] = []
    with pytest.raises(PartialFailure) as caught:
        batches.extend(collector.collect(cursor=None))
    assert [len(batch.records) for batch in batches] == [2]
    assert "geen schema.org-reviewgegevens" in caught.value.explain()


def test_all_pages_fine_means_no_error_and_ids_from_the_page_served(
    pages: Path, server: ScriptedServer, make_client: MakeClient
) -> None:
    url = server.route("/producten/theepot", Reply(200, page(pages, "theepot-product.html")))
    collector = SchemaOrgCollector(SchemaOrgSettings(urls=[url]), http=make_client(), label="x")
    (batch,) = collector.collect(cursor=None)
    assert by_author(batch.records)["Henk & Ria"].external_id == url + "#review-102"
