"""The collect stage with a paging source: incremental runs stop at a page with nothing new,
a full resync reads everything and marks what the source no longer shows as removed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import pytest
from sqlalchemy import select

from monitor.config import Settings
from monitor.db import open_store, session_scope
from monitor.models import Review
from monitor.pipeline import run_pipeline
from monitor.report import build_report
from scrapers.base import Batch, Collection, Collector, SourceSettings, keep_paging
from scrapers.records import RawReview
from scrapers.registry import COLLECTORS

NOW = datetime.now(UTC).replace(microsecond=0)


class PagedSettings(SourceSettings):
    per_page: int = 3


class PagedCollector(Collector):
    """A platform in memory: reviews newest first, a page at a time, like Trustpilot's pages."""

    name = "paged"
    Settings = PagedSettings
    lists_everything = True
    reviews: ClassVar[list[RawReview]] = []
    pages_fetched: ClassVar[list[int]] = []

    def collect(self, *, cursor: str | None, full: bool = False) -> Collection:
        size = self.settings.per_page
        page = 0
        while page * size < len(self.reviews):
            self.pages_fetched.append(page + 1)
            chunk = self.reviews[page * size : (page + 1) * size]
            stored = yield Batch(records=chunk, stats={"total": len(self.reviews), "average": 4.2})
            if not keep_paging(stored, full=full):
                return
            page += 1


def review(number: int, text: str | None = None) -> RawReview:
    return RawReview(
        external_id=f"tp-{number}",
        text=text or f"Review nummer {number}: snel geleverd.",
        rating=5.0,
        published_at=NOW - timedelta(hours=number),
    )


@pytest.fixture
def paged(
    monkeypatch: pytest.MonkeyPatch, make_settings: Callable[..., Settings], database_url: str
) -> dict[str, Any]:
    monkeypatch.setitem(COLLECTORS, "paged", PagedCollector)
    monkeypatch.setattr(PagedCollector, "reviews", [review(n) for n in range(1, 11)])
    monkeypatch.setattr(PagedCollector, "pages_fetched", [])
    settings = make_settings(database_url, sources={"platform": {"type": "paged"}})
    return {"settings": settings}


def stored(settings: Settings) -> dict[str, Review]:
    with session_scope(open_store(settings.database_url)) as session:
        return {r.external_id: r for r in session.exec(select(Review)).scalars()}


def collect_step(result: Any) -> Any:
    (step,) = [s for s in result.steps if s.stage == "collect"]
    return step


def test_an_incremental_run_stops_at_the_first_page_with_nothing_new(paged: dict[str, Any]) -> None:
    settings = paged["settings"]
    first = run_pipeline(settings, now=NOW)
    assert PagedCollector.pages_fetched == [1, 2, 3, 4]
    assert collect_step(first).new == 10
    assert collect_step(first).note == "De bron meldt 10 reviews, gemiddeld 4,2"

    PagedCollector.pages_fetched.clear()
    run_pipeline(settings, now=NOW)
    assert PagedCollector.pages_fetched == [1]  # nothing new on page 1: stop

    PagedCollector.pages_fetched.clear()
    PagedCollector.reviews = [review(11), review(12), *PagedCollector.reviews]
    third = run_pipeline(settings, now=NOW)
    assert PagedCollector.pages_fetched == [1, 2]  # page 1 had news, page 2 none
    assert (collect_step(third).new, collect_step(third).unchanged) == (2, 4)
    assert len(stored(settings)) == 12


def test_a_full_resync_reads_everything_and_marks_removed_reviews(paged: dict[str, Any]) -> None:
    settings = paged["settings"]
    run_pipeline(settings, now=NOW)
    PagedCollector.pages_fetched.clear()
    PagedCollector.reviews = [r for r in PagedCollector.reviews if r.external_id != "tp-4"]
    result = run_pipeline(settings, full=True, now=NOW)
    assert PagedCollector.pages_fetched == [1, 2, 3]  # every page, though nothing was new
    assert "1 reviews niet meer gevonden (gemarkeerd, niet gewist)" in collect_step(result).note
    reviews = stored(settings)
    assert len(reviews) == 10  # kept, never deleted
    assert reviews["tp-4"].removed_at is not None
    assert reviews["tp-5"].removed_at is None

    # An incremental run never marks anything: it does not see every review.
    PagedCollector.reviews = PagedCollector.reviews[:2]
    run_pipeline(settings, now=NOW)
    assert sum(r.removed_at is not None for r in stored(settings).values()) == 1

    # Back at the source: the mark goes.
    PagedCollector.reviews = [review(n) for n in range(1, 11)]
    result = run_pipeline(settings, full=True, now=NOW)
    assert "1 weer terug" in collect_step(result).note
    assert all(r.removed_at is None for r in stored(settings).values())


def test_a_removed_complaint_no_longer_waits_for_an_answer(paged: dict[str, Any]) -> None:
    settings = paged["settings"]
    complaint = RawReview(
        external_id="tp-1",
        text="Pakket kapot aangekomen en niemand reageert. Heel slecht.",
        rating=1.0,
        published_at=NOW - timedelta(hours=1),
    )
    PagedCollector.reviews = [complaint, review(2)]
    run_pipeline(settings, now=NOW)
    assert waiting(settings) == 1
    PagedCollector.reviews = [review(2)]
    run_pipeline(settings, full=True, now=NOW)
    assert waiting(settings) == 0


def waiting(settings: Settings) -> int:
    with session_scope(open_store(settings.database_url)) as session:
        return build_report(session=session, settings=settings, now=NOW).urgent_total


def test_a_full_resync_does_not_mark_a_review_stored_under_a_shortened_id(
    paged: dict[str, Any],
) -> None:
    settings = paged["settings"]
    long_one = RawReview(external_id="x" * 300, text="Lang id, prima winkel.", rating=5.0)
    PagedCollector.reviews = [long_one, review(1)]
    run_pipeline(settings, now=NOW)
    result = run_pipeline(settings, full=True, now=NOW)
    assert collect_step(result).note == "De bron meldt 2 reviews, gemiddeld 4,2"  # nothing removed
    assert all(r.removed_at is None for r in stored(settings).values())
