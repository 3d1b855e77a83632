"""A small shop with reviews from Trustpilot (replies by API), a source without a reply API
(replies pasted by hand) and customer mail (replies by mail), scored and drafted: the state the
web app, the posting tests and the browser test start from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select

from monitor.config import Settings
from monitor.db import open_store, session_scope
from monitor.ingest import upsert_reviews
from monitor.models import Draft, Review
from monitor.pipeline import run_pipeline
from monitor.queries import ensure_shop, ensure_sources
from monitor.users import add_user
from scrapers.records import RawReview
from tests.fake_platform import FakePlatform

PASSWORD = "een-lang-wachtwoord"
HOURS_AGO = {"tp-late": 20, "tp-new": 2, "tp-praise": 5, "own-1": 10, "mail-1": 3}


def reviews(now: datetime) -> dict[str, list[RawReview]]:
    def at(key: str) -> datetime:
        return now - timedelta(hours=HOURS_AGO[key])

    return {
        "trustpilot": [
            RawReview(external_id="tp-late", author="Marieke de Vries", rating=1,
                      text="Pakket kwam beschadigd aan, de pan zat vol deuken. Heel teleurgesteld.",
                      published_at=at("tp-late"), url="https://nl.trustpilot.com/reviews/tp-late"),
            RawReview(external_id="tp-new", author="Joop", rating=2,
                      text="Levering duurde veel te lang, twee weken gewacht.",
                      published_at=at("tp-new")),
            RawReview(external_id="tp-praise", author="Eva", rating=5,
                      text="Super snel geleverd en prachtige borden. Top service!",
                      published_at=at("tp-praise")),
        ],
        "eigen": [
            RawReview(external_id="own-1", author='<script>alert("naam")</script>', rating=1,
                      title='<img src=x onerror=alert("titel")>',
                      text='Kapot geleverd! <script>alert("tekst")</script> <a href="javascript:alert(1)">klik</a>',
                      published_at=at("own-1"), url="javascript:alert('link')"),
        ],
        "mail": [
            RawReview(external_id="<m1@klant.example>", channel="mail", author="Piet",
                      contact="piet@klant.example", title="Bestelling 1234",
                      text="Mijn bestelling is nog steeds niet geleverd, heel vervelend.",
                      published_at=at("mail-1")),
        ],
    }  # fmt: skip


def shop_settings(
    make_settings: Any, database_url: str, platform: FakePlatform, **extra: Any
) -> Settings:
    return make_settings(
        database_url,
        sources={
            "trustpilot": {"type": "trustpilot", **platform.settings("trustpilot")},
            "eigen": {"type": "file", "path": "eigen.csv"},
            "mail": {"type": "file", "path": "mail.csv"},
        },
        **extra,
    )


def seed(settings: Settings, *, now: datetime | None = None) -> Engine:
    """Store the reviews, score and draft them (no collecting), and add two users: sanne
    (owner) and mo (marketing), both with ``PASSWORD``."""
    now = now or datetime.now(UTC)
    engine = open_store(settings.database_url)
    with session_scope(engine) as session:
        shop = ensure_shop(session=session, settings=settings)
        ids = ensure_sources(session=session, shop_id=shop.id, sources=settings.sources)  # type: ignore[arg-type]
        for label, records in reviews(now).items():
            upsert_reviews(session=session, source_id=ids[label], records=records, now=now)
        add_user(session=session, username="sanne", password=PASSWORD, role="owner")
        add_user(session=session, username="mo", password=PASSWORD, role="marketing")
        session.commit()
    run_pipeline(settings, now=now, engine=engine, sources=[])
    return engine


def draft_for(engine: Engine, external_id: str) -> Draft:
    with session_scope(engine) as session:
        query = (
            select(Draft)
            .join(Review, Review.id == Draft.review_id)
            .where(Review.external_id == external_id)
            .order_by(Draft.id.desc())  # type: ignore[union-attr]
        )
        return session.exec(query).scalars().first()  # type: ignore[return-value]
