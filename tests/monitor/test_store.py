"""The store on SQLite and PostgreSQL: migrations, upserts that notice edits and keep history."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from monitor.db import (
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
    open_store,
    refresh_statistics,
    session_scope,
)
from monitor.errors import DatabaseError
from monitor.ingest import content_hash, upsert_reviews
from monitor.models import Review, ReviewHistory, Shop, Source
from scrapers.records import RawReview

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def source_id(engine: Engine) -> int:
    with session_scope(engine) as session:
        shop = Shop(slug="shop", name="Testwinkel")
        session.add(shop)
        session.flush()
        source = Source(shop_id=shop.id, label="export", type="file")
        session.add(source)
        session.commit()
        return source.id


def record(number: int, text: str = "Snel geleverd, mooi servies.", **changes: object) -> RawReview:
    values: dict[str, object] = {
        "external_id": f"KV-{number}",
        "text": text,
        "author": f"Klant {number}",
        "title": "Prima",
        "rating": 8.0,
        "rating_min": 1.0,
        "rating_max": 10.0,
        "published_at": datetime(2026, 11, 20, 14, 3, tzinfo=AMSTERDAM) + timedelta(hours=number),
    }
    values.update(changes)
    return RawReview(**values)  # type: ignore[arg-type]


def reviews(engine: Engine) -> list[Review]:
    with session_scope(engine) as session:
        return list(session.exec(select(Review).order_by(Review.external_id)).scalars())


def test_migrations_build_the_schema_the_models_describe(database_url: str) -> None:
    engine = make_engine(database_url)
    assert current_revision(engine) is None
    open_store(database_url)
    assert current_revision(engine) == head_revision()
    open_store(database_url)  # a second upgrade is a no-op
    tables = set(inspect(engine).get_table_names())
    assert {"shop", "source", "review", "review_history", "score", "flag", "draft"} <= tables
    assert {"run", "run_step", "alembic_version"} <= tables
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == [], "models changed without a migration: run alembic revision"
    engine.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:
    engine = open_store(f"sqlite:///{tmp_path / 'wal.sqlite'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_sqlite_gets_query_statistics_and_fresh_ones_when_the_reviews_grow(
    engine: Engine, source_id: int
) -> None:
    if engine.dialect.name != "sqlite":
        assert refresh_statistics(engine) is False  # PostgreSQL's autovacuum analyses
        return

    def planned() -> str:
        """How SQLite reads the 30-day range of the report."""
        with engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT count(*) FROM review JOIN score ON "
                "score.review_id = review.id WHERE score.kind = 'complaint' "
                "AND review.received_at >= '2026-11-01'"
            ).all()
        return " ".join(row[-1] for row in rows)

    assert refresh_statistics(engine) is False  # analysed when the schema was created
    with session_scope(engine) as session:
        upsert_reviews(session=session, source_id=source_id,
                       records=[record(n, f"Review {n}") for n in range(1500)])  # fmt: skip
        session.exec(text(
            "INSERT INTO score (review_id, content_hash, label, score, confidence, disagreement, "
            "kind, aspects, model, created_at) SELECT id, content_hash, 'negative', -0.5, 0.8, 0, "
            "'complaint', '{}', 'test', first_seen_at FROM review"
        ))  # fmt: skip
        session.commit()
    assert "ix_score_kind" in planned()  # stale statistics: every complaint ever, walked
    assert refresh_statistics(engine) is True
    assert "ix_review_received_at" in planned()  # now: only the range
    assert refresh_statistics(engine) is False  # nothing changed since


def test_new_records_are_inserted_with_normalised_rating_and_aware_times(
    engine: Engine, source_id: int
) -> None:
    with session_scope(engine) as session:
        result = upsert_reviews(
            session=session, source_id=source_id, records=[record(1), record(2)]
        )
        session.commit()
    assert (result.new, result.updated, result.unchanged) == (2, 0, 0)
    first, second = reviews(engine)
    assert first.rating == 8.0 and first.rating_max == 10.0
    assert first.rating_norm == pytest.approx(7 / 9)
    assert first.published_at == datetime(2026, 11, 20, 15, 3, tzinfo=AMSTERDAM)
    assert first.published_at.tzinfo is not None
    assert first.first_seen_at.tzinfo is not None
    # The hash is about the words and the rating, not about who wrote them.
    assert first.content_hash == second.content_hash


def test_the_same_input_twice_adds_nothing(engine: Engine, source_id: int) -> None:
    batch = [record(n) for n in range(1, 6)]
    for _ in range(2):
        with session_scope(engine) as session:
            result = upsert_reviews(session=session, source_id=source_id, records=batch)
            session.commit()
    assert (result.new, result.updated, result.unchanged) == (0, 0, 5)
    with session_scope(engine) as session:
        assert session.exec(select(func.count()).select_from(Review)).one()[0] == 5
        assert session.exec(select(func.count()).select_from(ReviewHistory)).one()[0] == 0


def test_a_changed_text_updates_the_review_and_keeps_the_old_version(
    engine: Engine, source_id: int
) -> None:
    with session_scope(engine) as session:
        upsert_reviews(
            session=session, source_id=source_id, records=[record(1, "Nog niet binnen.")]
        )
        session.commit()
    (before,) = reviews(engine)
    edited = record(1, "Inmiddels binnen, netjes opgelost!", rating=9.0)
    with session_scope(engine) as session:
        result = upsert_reviews(session=session, source_id=source_id, records=[edited])
        session.commit()
    assert (result.new, result.updated) == (0, 1)
    (after,) = reviews(engine)
    assert after.id == before.id
    assert after.text == "Inmiddels binnen, netjes opgelost!"
    assert after.rating == 9.0
    assert after.content_hash != before.content_hash
    assert after.first_seen_at == before.first_seen_at
    with session_scope(engine) as session:
        (history,) = session.exec(select(ReviewHistory)).scalars()
    assert history.review_id == before.id
    assert history.text == "Nog niet binnen."
    assert history.rating == 8.0
    assert history.content_hash == before.content_hash


def test_a_new_shop_reply_counts_as_a_change(engine: Engine, source_id: int) -> None:
    with session_scope(engine) as session:
        upsert_reviews(session=session, source_id=source_id, records=[record(1)])
        session.commit()
        replied = record(1, reply_text="Dank u wel! Groet, Sanne")
        result = upsert_reviews(session=session, source_id=source_id, records=[replied])
        session.commit()
    assert result.updated == 1
    assert reviews(engine)[0].reply_text == "Dank u wel! Groet, Sanne"


def test_within_one_batch_the_last_version_wins(engine: Engine, source_id: int) -> None:
    batch = [record(1, "eerste versie"), record(1, "tweede versie")]
    with session_scope(engine) as session:
        result = upsert_reviews(session=session, source_id=source_id, records=batch)
        session.commit()
    assert result.new == 1
    assert [review.text for review in reviews(engine)] == ["tweede versie"]


def test_the_same_external_id_at_another_source_is_another_review(
    engine: Engine, source_id: int
) -> None:
    with session_scope(engine) as session:
        other = Source(shop_id=session.get(Source, source_id).shop_id, label="mail", type="maildir")
        session.add(other)
        session.commit()
        upsert_reviews(session=session, source_id=source_id, records=[record(1)])
        upsert_reviews(session=session, source_id=other.id, records=[record(1)])
        session.commit()
    assert len(reviews(engine)) == 2


def test_the_database_refuses_a_duplicate_review(engine: Engine, source_id: int) -> None:
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        for _ in range(2):
            session.add(
                Review(
                    source_id=source_id,
                    external_id="dup",
                    text="x",
                    content_hash="h",
                    first_seen_at=now,
                    last_changed_at=now,
                )
            )
        with pytest.raises(IntegrityError):
            session.commit()


def test_mail_fields_are_stored(engine: Engine, source_id: int) -> None:
    mail = RawReview(
        external_id="<abc@mail.example>",
        text="Waar blijft mijn pakket?",
        channel="mail",
        contact="klant@example.nl",
        thread_key="<abc@mail.example>",
        published_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
    )
    with session_scope(engine) as session:
        upsert_reviews(session=session, source_id=source_id, records=[mail])
        session.commit()
    (stored,) = reviews(engine)
    assert (stored.channel, stored.contact, stored.rating, stored.rating_norm) == (
        "mail", "klant@example.nl", None, None,
    )  # fmt: skip


def test_an_existing_database_keeps_its_reviews_through_an_upgrade(database_url: str) -> None:
    engine = make_engine(database_url)
    command.upgrade(alembic_config(engine), "0001")  # a shop's database of the first release
    now = datetime(2026, 11, 1, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO shop (id, slug, name, domain, timezone, created_at) VALUES (1, 'shop', 'Oud', '', 'Europe/Amsterdam', :t)"
            ),
            {"t": now.replace(tzinfo=None)},
        )
        connection.execute(
            text(
                "INSERT INTO source (id, shop_id, label, type, created_at) VALUES (1, 1, 'export', 'file', :t)"
            ),
            {"t": now.replace(tzinfo=None)},
        )
        connection.execute(
            text(
                "INSERT INTO review (source_id, external_id, channel, text, content_hash, first_seen_at, last_changed_at) VALUES (1, 'KV-1', 'review', 'Oude review', 'h', :t, :t)"
            ),
            {"t": now.replace(tzinfo=None)},
        )
        # Rows that point at the review: SQLite rebuilds the review table under them.
        naive = now.replace(tzinfo=None)
        connection.execute(
            text(
                "INSERT INTO score (review_id, content_hash, label, score, confidence, disagreement, kind, aspects, model, created_at) VALUES (1, 'h', 'negative', -0.8, 0.9, false, 'complaint', :aspects, 'lexicon-nl-1', :t)"
            ),
            {"t": naive, "aspects": '{"levering en bezorgtijd": ["pakket"]}'},
        )
        connection.execute(
            text(
                "INSERT INTO draft (review_id, content_hash, kind, status, text, created_at) VALUES (1, 'h', 'complaint', 'pending', 'Beste klant', :t)"
            ),
            {"t": naive},
        )
        connection.execute(
            text(
                "INSERT INTO review_history (review_id, content_hash, text, replaced_at) VALUES (1, 'g', 'Nog ouder', :t)"
            ),
            {"t": naive},
        )
    open_store(database_url)  # what every command does: upgrade to the newest schema
    assert current_revision(engine) == head_revision()
    (kept,) = reviews(engine)
    assert (kept.text, kept.removed_at, kept.first_seen_at) == ("Oude review", None, now)
    assert kept.received_at == now  # backfilled: no publication time, so when first seen
    with engine.connect() as connection:
        aspects = connection.execute(text("SELECT aspect FROM score_aspect")).scalars().all()
        drafts = connection.execute(text("SELECT status FROM draft")).scalars().all()
    assert aspects == ["levering en bezorgtijd"]  # backfilled from the score's JSON
    assert drafts == ["pending"]
    engine.dispose()


def test_values_too_long_for_their_columns_are_fitted_stably(
    engine: Engine, source_id: int
) -> None:
    long_id = "https://winkel.example/reviews/" + "x" * 400
    record = RawReview(
        external_id=long_id, text="Prima", author="A" * 500, language="nl-NL-x-" + "y" * 30,
        contact="k" * 400 + "@example.nl", thread_key="<" + "t" * 300 + ">",
    )  # fmt: skip
    for _ in range(2):  # the same long id maps to the same stored id: no duplicate
        with session_scope(engine) as session:
            upsert_reviews(session=session, source_id=source_id, records=[record])
            session.commit()
    (stored,) = reviews(engine)
    assert stored.external_id.startswith("h:")
    assert len(stored.external_id) <= 255
    assert len(stored.author) == 200
    assert stored.author.endswith("…")
    assert len(stored.language) == 16
    assert stored.contact is None
    assert len(stored.thread_key) <= 255


def test_a_changed_recommendation_is_a_change(engine: Engine, source_id: int) -> None:
    plain = record(1)
    recommended = replace(plain, recommends=True)
    with session_scope(engine) as session:
        upsert_reviews(session=session, source_id=source_id, records=[recommended])
        session.commit()
        changed = replace(plain, recommends=False)
        result = upsert_reviews(session=session, source_id=source_id, records=[changed])
        session.commit()
    assert result.updated == 1
    (stored,) = reviews(engine)
    assert stored.recommends is False
    # A source that does not ask keeps the hash it always had.
    assert content_hash(plain) != content_hash(recommended)
    assert content_hash(plain) == content_hash(replace(plain, recommends=None))


def test_an_sqlite_upgrade_that_fails_halfway_puts_the_database_back(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import monitor.db

    url = f"sqlite:///{tmp_path / 'shop.sqlite'}"
    engine = make_engine(url)
    command.upgrade(alembic_config(engine), "0003")
    engine.dispose()

    def half_an_upgrade(config, revision):  # type: ignore[no-untyped-def]
        with config.attributes["engine"].begin() as connection:
            connection.execute(text("CREATE TABLE half_done (id INTEGER)"))  # SQLite: not undone
        raise RuntimeError("disk full")

    monkeypatch.setattr(monitor.db.command, "upgrade", half_an_upgrade)
    with pytest.raises(DatabaseError, match="teruggezet zoals hij was"):
        open_store(url)
    tables = set(inspect(make_engine(url)).get_table_names())
    assert "half_done" not in tables
    assert current_revision(make_engine(url)) == "0003"
    assert (tmp_path / "shop.sqlite.voor-upgrade").is_file()
