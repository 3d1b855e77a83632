"""CSV and JSON exports: column mapping, scales, dates, skipped rows, settings and the collector."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from scrapers.base import Batch
from scrapers.errors import ParseError, SourceUnavailable
from scrapers.file import FileCollector, FileSettings, parse_csv, parse_json
from scrapers.http import HttpClient
from scrapers.records import RawReview
from tests.scrapers.conftest import MakeClient, Reply, ScriptedServer

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# The review platform's export: semicolons, a BOM, CRLF, scores 1-10, Dutch dates.
PLATFORM_COLUMNS = {
    "external_id": "review_id",
    "published_at": "datum",
    "author": "naam",
    "rating": "cijfer",
    "title": "titel",
    "text": "review",
    "reply_text": "reactie_winkel",
}


def platform_settings(**overrides: object) -> FileSettings:
    values: dict[str, object] = {
        "path": "export-puntkomma.csv",
        "columns": PLATFORM_COLUMNS,
        "rating_min": 1,
        "rating_max": 10,
        "date_format": "%d-%m-%Y %H:%M",
    }
    return FileSettings(**(values | overrides))


@pytest.fixture
def platform_text(pages: Path) -> str:
    """The export decoded the way a server with ``charset=utf-8`` hands it over (BOM kept)."""
    return (pages / "file" / "export-puntkomma.csv").read_bytes().decode("utf-8")


def by_id(records: list[RawReview]) -> dict[str, RawReview]:
    return {record.external_id: record for record in records}


def test_semicolon_export_is_mapped_onto_review_fields(platform_text: str) -> None:
    records, _ = parse_csv(platform_text, platform_settings(), where="export-puntkomma.csv")
    assert [record.external_id for record in records] == [
        "TL-5012",
        "TL-5013",
        "TL-5017",
        "TL-5018",
    ]
    first = by_id(records)["TL-5012"]
    assert first.author == "Marloes K."
    assert first.title == "Mooie pot"
    assert first.rating == 8.5  # decimal comma
    assert (first.rating_min, first.rating_max) == (1, 10)
    assert first.rating_norm == pytest.approx(7.5 / 9)
    assert first.channel == "review"


def test_quoted_fields_keep_semicolons_quotes_and_line_breaks(platform_text: str) -> None:
    records = by_id(parse_csv(platform_text, platform_settings(), where="export")[0])
    assert records["TL-5012"].text == "Snel geleverd; goed verpakt.\nDe thee blijft lang warm."
    assert records["TL-5013"].text == 'Prima winkel, echt een "aanrader"'
    assert records["TL-5013"].reply_text == "Dank je wel, Henk! Groet, Ilse"
    assert records["TL-5012"].reply_text is None


def test_dutch_dates_are_read_in_amsterdam_time_winter_and_summer(platform_text: str) -> None:
    records = by_id(parse_csv(platform_text, platform_settings(), where="export")[0])
    winter = records["TL-5012"].published_at
    summer = records["TL-5017"].published_at
    assert winter == datetime(2025, 3, 14, 9, 12, tzinfo=AMSTERDAM)
    assert winter is not None and winter.utcoffset() == timedelta(hours=1)
    assert summer is not None and summer.utcoffset() == timedelta(hours=2)
    assert summer.astimezone(ZoneInfo("UTC")).hour == 6  # 08:30 in Amsterdam


def test_a_review_without_a_score_is_kept_without_a_rating(platform_text: str) -> None:
    question = by_id(parse_csv(platform_text, platform_settings(), where="export")[0])["TL-5018"]
    assert question.rating is None
    assert question.rating_norm is None
    assert question.text == "Is de theepot ook geschikt voor inductie?"


def test_bad_rows_are_skipped_with_a_dutch_warning_naming_the_row(platform_text: str) -> None:
    _, warnings = parse_csv(platform_text, platform_settings(), where="export-puntkomma.csv")
    assert warnings == [
        "export-puntkomma.csv, rij 3 overgeslagen: cijfer 11 valt buiten de schaal 1-10",
        "export-puntkomma.csv, rij 4 overgeslagen: datum '31-02-2025 10:00' is niet te lezen",
        "export-puntkomma.csv, rij 5 overgeslagen: geen tekst en geen cijfer",
    ]


def test_a_rating_that_is_no_number_skips_the_row() -> None:
    text = "text;rating\nPrima;vijf\nGoed;4\n"
    records, warnings = parse_csv(text, FileSettings(path="x.csv"), where="x.csv")
    assert [record.text for record in records] == ["Goed"]
    assert warnings == ["x.csv, rij 1 overgeslagen: cijfer 'vijf' is geen getal"]


def test_a_missing_text_column_is_a_parse_error_naming_the_column(platform_text: str) -> None:
    settings = platform_settings(columns={**PLATFORM_COLUMNS, "text": "reviewtekst"})
    with pytest.raises(ParseError) as caught:
        parse_csv(platform_text, settings, where="export-puntkomma.csv")
    assert "'reviewtekst'" in caught.value.explain()
    assert "review_id" in caught.value.detail  # the columns the file does have
    assert "\ufeff" not in caught.value.detail


def test_the_bom_is_not_part_of_the_first_column_name() -> None:
    # The id is the first column: with the BOM glued to its name every id would be derived.
    text = "\ufeffreview_id;review\r\nTL-1;Prima\r\n"
    records, _ = parse_csv(text, platform_settings(), where="x")
    assert records[0].external_id == "TL-1"


def test_an_export_where_every_row_is_bad_is_a_parse_error() -> None:
    text = "review_id;datum;review;cijfer\nTL-1;gisteren;Prima;9\nTL-2;vandaag;Slecht;1\n"
    with pytest.raises(ParseError) as caught:
        parse_csv(text, platform_settings(), where="export.csv")
    assert "kolomindeling" in caught.value.explain()


def test_an_export_with_a_header_only_gives_no_records_and_no_error() -> None:
    assert parse_csv("text;rating\n", FileSettings(path="x.csv"), where="x") == ([], [])


@pytest.mark.parametrize("text", ["", "  \n\n", "\ufeff"])
def test_an_empty_export_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError, match="leeg"):
        parse_csv(text, FileSettings(path="x.csv"), where="x")


def test_a_field_beyond_the_csv_limit_is_a_parse_error_not_a_crash() -> None:
    text = 'text;rating\n"' + "a" * 200_000 + '";4\n'
    with pytest.raises(ParseError, match="geen geldige CSV"):
        parse_csv(text, FileSettings(path="x.csv"), where="x")


def test_comma_export_with_default_field_names_and_iso_dates(pages: Path) -> None:
    text = (pages / "file" / "export-komma.csv").read_text(encoding="utf-8")
    records, warnings = parse_csv(text, FileSettings(path="export-komma.csv"), where="x")
    assert warnings == []
    assert [record.author for record in records] == ["Youssef", "Anouk", "Kees"]
    assert records[0].text == "Mooie glazen, precies goed voor muntthee."
    assert records[0].published_at == datetime(2025, 6, 1, 10, 0, tzinfo=ZoneInfo("UTC"))
    # Naive times are Amsterdam times: summer and winter offsets.
    assert records[1].published_at == datetime(2025, 6, 9, 8, 30, tzinfo=AMSTERDAM)
    assert records[1].published_at.utcoffset() == timedelta(hours=2)
    assert records[2].published_at.utcoffset() == timedelta(hours=1)


def test_another_timezone_reads_naive_times_there() -> None:
    text = "text,published_at\nLekker,2025-06-09 08:30\n"
    settings = FileSettings(path="x.csv", timezone="Europe/London")
    record = parse_csv(text, settings, where="x")[0][0]
    assert record.published_at is not None
    assert record.published_at.utcoffset() == timedelta(hours=1)


def test_derived_ids_are_stable_and_distinct_without_an_id_column(pages: Path) -> None:
    text = (pages / "file" / "export-komma.csv").read_text(encoding="utf-8")
    settings = FileSettings(path="export-komma.csv")
    first = [record.external_id for record in parse_csv(text, settings, where="x")[0]]
    again = [record.external_id for record in parse_csv(text, settings, where="x")[0]]
    assert first == again
    assert len(set(first)) == 3
    assert all(external_id.startswith("h:") for external_id in first)
    # The same row in another export (other order, more rows) keeps its id.
    lines = text.splitlines()
    reordered = "\n".join([lines[0], "Nieuw,5,,Nieuwe review,2025-12-30 10:00", *lines[:0:-1]])
    moved = by_id(parse_csv(reordered, settings, where="x")[0])
    assert set(first) <= set(moved)


def test_json_with_one_list_is_found_without_json_key(pages: Path) -> None:
    text = (pages / "file" / "reviews-lijst.json").read_text(encoding="utf-8")
    records, warnings = parse_json(text, FileSettings(path="reviews-lijst.json"), where="lijst")
    assert [(record.author, record.rating) for record in records] == [
        ("Saskia", 5.0),
        ("Tom", 2.0),
        ("Lieke", 4.5),
    ]
    assert records[2].text == ""  # a rating without text is still a review
    assert warnings == []


JSON_COLUMNS = {
    "external_id": "id",
    "author": "klant",
    "rating": "sterren",
    "title": "kop",
    "text": "tekst",
    "published_at": "geplaatst",
    "reply_text": "reactie",
}


def test_json_key_picks_the_review_list_from_an_object(pages: Path) -> None:
    text = (pages / "file" / "reviews-export.json").read_text(encoding="utf-8")
    settings = FileSettings(path="reviews-export.json", json_key="reviews", columns=JSON_COLUMNS)
    records, warnings = parse_json(text, settings, where="reviews-export.json")
    assert [record.external_id for record in records] == ["90871", "90872"]
    dirk = records[1]
    assert dirk.rating == 2.0
    assert dirk.title is None
    assert dirk.text == "Het display is slecht leesbaar 🙁"
    assert dirk.reply_text == "Vervelend, Dirk! We sturen je een nieuwe."
    assert dirk.published_at == datetime(2025, 7, 19, 14, 0, tzinfo=AMSTERDAM)
    assert warnings == [
        "reviews-export.json, rij 3 overgeslagen: cijfer 9 valt buiten de schaal 1-5"
    ]


def test_json_with_several_lists_and_no_json_key_is_a_parse_error(pages: Path) -> None:
    text = (pages / "file" / "reviews-export.json").read_text(encoding="utf-8")
    settings = FileSettings(path="reviews-export.json", columns=JSON_COLUMNS)
    with pytest.raises(ParseError, match="json_key"):
        parse_json(text, settings, where="reviews-export.json")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[{"text": "Prima", }', "geen geldige JSON"),
        ('{"text": "Prima"}', "geen lijst"),
        ('"alleen tekst"', "geen lijst"),
        ("[" * 100_000, "geen geldige JSON"),
    ],
    ids=["invalid", "object-without-list", "string", "too-deep"],
)
def test_json_that_holds_no_review_list_is_a_parse_error(text: str, words: str) -> None:
    with pytest.raises(ParseError, match=words):
        parse_json(text, FileSettings(path="x.json"), where="x.json")


def test_json_key_that_is_missing_is_a_parse_error() -> None:
    settings = FileSettings(path="x.json", json_key="reviews")
    with pytest.raises(ParseError):
        parse_json('{"data": [{"text": "Prima"}]}', settings, where="x.json")


def test_json_with_a_bom_is_read() -> None:
    records, _ = parse_json('\ufeff[{"text": "Prima"}]', FileSettings(path="x.json"), where="x")
    assert records[0].text == "Prima"


def test_a_half_emoji_in_json_is_replaced_not_stored() -> None:
    text = '[{"text": "Top \\ud83d", "author": "An\\u0000na"}]'
    record = parse_json(text, FileSettings(path="x.json"), where="x")[0][0]
    assert record.text == "Top \ufffd"
    assert record.author == "Anna"
    record.external_id.encode("utf-8")


# Settings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"path": "export.csv", "url": "https://theelichtje.example/export.csv"},
        {"url": "ftp://theelichtje.example/export.csv"},
        {"url": "file:///etc/passwd"},
        {"path": "x.csv", "columns": {"tekst": "review"}},
        {"path": "x.csv", "rating_min": 5, "rating_max": 5},
        {"path": "x.csv", "rating_min": 10, "rating_max": 1},
        {"path": "x.csv", "batch_size": 0},
        {"path": "x.csv", "encoding": "utf8-zonder-bom"},
        {"path": "x.csv", "timezone": "Europe/Amstelveen"},
        {"path": "x.csv", "delimiter": ";;"},
        {"path": "x.csv", "onbekend": True},
    ],
)
def test_invalid_settings_are_rejected(values: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        FileSettings(**values)


def test_an_unknown_column_field_is_named_in_the_error() -> None:
    with pytest.raises(ValidationError, match="'tekst'"):
        FileSettings(path="x.csv", columns={"tekst": "review"})


def test_the_format_follows_the_file_name_unless_set() -> None:
    assert FileSettings(path="export.JSON").detected_format() == "json"
    assert FileSettings(url="https://a.example/export.json?token=x").detected_format() == "json"
    assert FileSettings(path="export.txt").detected_format() == "csv"
    assert FileSettings(path="export.txt", format="json").detected_format() == "json"


# Collector -------------------------------------------------------------------------------


def collect(settings: FileSettings, http: HttpClient) -> list[Batch]:
    return list(FileCollector(settings, http=http, label="export").collect(cursor=None))


def test_the_collector_reads_a_local_file_in_batches(pages: Path, make_client: MakeClient) -> None:
    settings = platform_settings(path=str(pages / "file" / "export-puntkomma.csv"), batch_size=3)
    batches = collect(settings, make_client())
    assert [len(batch.records) for batch in batches] == [3, 1]
    assert len(batches[0].warnings) == 3
    assert batches[1].warnings == []
    assert batches[0].records[0].external_id == "TL-5012"


def test_a_missing_file_is_source_unavailable(tmp_path: Path, make_client: MakeClient) -> None:
    settings = FileSettings(path=str(tmp_path / "bestaat-niet.csv"))
    with pytest.raises(SourceUnavailable) as caught:
        collect(settings, make_client())
    assert "bestaat-niet.csv" in caught.value.explain()


def test_an_export_without_rows_yields_one_empty_batch(
    tmp_path: Path, make_client: MakeClient
) -> None:
    path = tmp_path / "leeg.csv"
    path.write_text("text;rating\n", encoding="utf-8")
    batches = collect(FileSettings(path=str(path)), make_client())
    assert [batch.records for batch in batches] == [[]]


def test_the_collector_fetches_an_export_by_url(
    pages: Path, server: ScriptedServer, make_client: MakeClient
) -> None:
    body = (pages / "file" / "export-puntkomma.csv").read_bytes()
    url = server.route(
        "/export/reviews.csv", Reply(200, body, {"Content-Type": "text/csv; charset=utf-8"})
    )
    settings = platform_settings(path=None, url=url + "?token=SECRET")
    assert FileCollector.hosts(settings) == {"127.0.0.1"}
    batches = collect(settings, make_client())
    records = [record for batch in batches for record in batch.records]
    assert [record.external_id for record in records] == [
        "TL-5012",
        "TL-5013",
        "TL-5017",
        "TL-5018",
    ]
    # The same text as from a local file: CRLF inside a quoted field becomes "\n".
    assert records[0].text == "Snel geleverd; goed verpakt.\nDe thee blijft lang warm."
    assert server.paths() == ["/export/reviews.csv?token=SECRET"]
    assert all("SECRET" not in warning for warning in batches[0].warnings)
    assert batches[0].warnings[0].startswith("/export/reviews.csv, rij 3")


def test_the_collector_reads_json_by_url_without_a_charset(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    body = b'[{"text": "Lekkere thee", "rating": 5}]'
    url = server.route("/api/reviews.json", Reply(200, body, {"Content-Type": "application/json"}))
    batches = collect(FileSettings(url=url), make_client())
    assert batches[0].records[0].text == "Lekkere thee"


def test_a_local_export_hosts_nothing() -> None:
    assert FileCollector.hosts(FileSettings(path="x.csv")) == set()
