"""The invariant of posting: for every route (platform API, mail, pasted by hand) a reply goes
out only in the exact wording a person approved: never for a pending, rejected or superseded
draft, nor one edited after approval. And a reply goes out once, even across a crash."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, update

from monitor.config import Settings
from monitor.db import session_scope
from monitor.decisions import approve_draft, reject_draft
from monitor.errors import NotApproved
from monitor.models import Draft, Review
from monitor.models_web import AuditEvent, ReplyPost
from monitor.posting import PostRound, confirm_posted, post_replies, queue_approved
from tests.fake_platform import FakePlatform
from tests.monitor.shopdata import draft_for, seed, shop_settings
from tests.monitor.smtp_server import SmtpServer, mail_settings, smtp_server

ROUTES = {"api": "tp-late", "mail": "<m1@klant.example>", "manual": "own-1"}


@pytest.fixture
def platform() -> Iterator[FakePlatform]:
    with FakePlatform() as fake:
        yield fake


@dataclass
class Shop:
    settings: Settings
    engine: Engine
    platform: FakePlatform
    mailbox: SmtpServer

    def sent_anything(self) -> bool:
        return bool(self.platform.replies) or bool(self.mailbox.received)

    def post(self, now: datetime | None = None) -> PostRound:
        return post_replies(engine=self.engine, settings=self.settings, now=now)


@pytest.fixture
def shop(
    make_settings: Callable[..., Settings], database_url: str, platform: FakePlatform
) -> Iterator[Shop]:
    with smtp_server() as server:
        settings = shop_settings(make_settings, database_url, platform, mail=mail_settings(server))
        engine = seed(settings)
        yield Shop(settings, engine, platform, server)
        engine.dispose()


def approve(engine: Engine, external_id: str, settings: Settings) -> int:
    draft = draft_for(engine, external_id)
    with session_scope(engine) as session:
        approve_draft(
            session=session, draft_id=draft.id, by="sanne",  # type: ignore[arg-type]
            shop_contacts=settings.reply_policy().own_words,
        )  # fmt: skip
        session.commit()
    return draft.id  # type: ignore[return-value]


def post_row(engine: Engine, draft_id: int) -> ReplyPost | None:
    with session_scope(engine) as session:
        return (
            session.exec(select(ReplyPost).where(ReplyPost.draft_id == draft_id)).scalars().first()
        )


def force_post(engine: Engine, draft_id: int, route: str, status: str = "queued") -> None:
    """A post row as a bug (or a hand in the database) might leave it: queued regardless."""
    with session_scope(engine) as session:
        draft = session.get(Draft, draft_id)
        assert draft is not None
        session.add(
            ReplyPost(
                draft_id=draft_id,
                review_id=draft.review_id,
                route=route,
                platform="trustpilot" if route == "api" else "file",
                text=draft.edited_text or draft.text,
                status=status,
                not_before=datetime.now(UTC) - timedelta(minutes=1),
            )
        )
        session.commit()


def queue(shop: Shop) -> None:
    with session_scope(shop.engine) as session:
        queue_approved(session=session, settings=shop.settings, now=datetime.now(UTC))
        session.commit()


@pytest.mark.parametrize("route", ROUTES)
def test_a_pending_draft_is_never_posted(shop: Shop, route: str) -> None:
    engine = shop.engine
    draft_id = draft_for(engine, ROUTES[route]).id
    force_post(engine, draft_id, route, status="ready" if route == "manual" else "queued")  # type: ignore[arg-type]
    done = shop.post()
    if route == "manual":
        with session_scope(engine) as session, pytest.raises(NotApproved):
            confirm_posted(session=session, draft_id=draft_id, by="sanne")  # type: ignore[arg-type]
    else:
        assert done.refused == 1 and post_row(engine, draft_id).status == "cancelled"  # type: ignore[arg-type, union-attr]
    assert not shop.sent_anything()
    assert draft_for(engine, ROUTES[route]).status == "pending"


@pytest.mark.parametrize("route", ROUTES)
def test_a_draft_edited_after_approval_is_never_posted(shop: Shop, route: str) -> None:
    engine = shop.engine
    draft_id = approve(engine, ROUTES[route], shop.settings)
    with session_scope(engine) as session:  # the wording changes after the approval
        session.exec(
            update(Draft)
            .where(Draft.id == draft_id)
            .values(edited_text="Iets anders dan goedgekeurd.")
        )
        session.commit()
    done = shop.post()
    if route == "manual":
        with (
            session_scope(engine) as session,
            pytest.raises(NotApproved, match="na de goedkeuring aangepast"),
        ):
            confirm_posted(session=session, draft_id=draft_id, by="sanne")
    else:
        assert done.posted == 0
    assert not shop.sent_anything()
    assert draft_for(engine, ROUTES[route]).status == "approved"


@pytest.mark.parametrize("route", ROUTES)
def test_a_post_whose_text_differs_from_the_approval_is_stopped(shop: Shop, route: str) -> None:
    engine = shop.engine
    draft_id = approve(engine, ROUTES[route], shop.settings)
    queue(shop)
    with session_scope(engine) as session:
        session.exec(
            update(ReplyPost).where(ReplyPost.draft_id == draft_id).values(text="Andere tekst.")
        )
        session.commit()
    shop.post()
    if route == "manual":
        with session_scope(engine) as session, pytest.raises(NotApproved, match="wijkt af"):
            confirm_posted(session=session, draft_id=draft_id, by="sanne")
    else:
        assert post_row(engine, draft_id).status == "cancelled"  # type: ignore[union-attr]
    assert not shop.sent_anything()


@pytest.mark.parametrize("route", ROUTES)
def test_a_rejected_draft_is_never_posted(shop: Shop, route: str) -> None:
    engine = shop.engine
    draft_id = draft_for(engine, ROUTES[route]).id
    with session_scope(engine) as session:
        reject_draft(session=session, draft_id=draft_id, by="sanne", reason="Niet nodig")  # type: ignore[arg-type]
        session.commit()
    force_post(engine, draft_id, route, status="ready" if route == "manual" else "queued")  # type: ignore[arg-type]
    shop.post()
    if route == "manual":
        with session_scope(engine) as session, pytest.raises(NotApproved):
            confirm_posted(session=session, draft_id=draft_id, by="sanne")  # type: ignore[arg-type]
    assert not shop.sent_anything()
    assert draft_for(engine, ROUTES[route]).status == "rejected"


def test_an_approved_reply_whose_review_changed_meanwhile_is_not_posted(shop: Shop) -> None:
    engine, platform = shop.engine, shop.platform
    approve(engine, "tp-late", shop.settings)
    with session_scope(engine) as session:
        session.exec(
            update(Review).where(Review.external_id == "tp-late").values(content_hash="changed")
        )
        session.commit()
    assert shop.post().refused == 1
    assert platform.replies == []


def test_each_route_sends_exactly_the_approved_text(shop: Shop) -> None:
    engine, platform = shop.engine, shop.platform
    texts = {}
    for route, external_id in ROUTES.items():
        draft_id = approve(engine, external_id, shop.settings)
        texts[route] = draft_for(engine, external_id).approved_text
        assert draft_id
    done = shop.post()
    assert (done.posted, done.ready, done.failed) == (2, 1, 0)
    assert platform.replies == [("trustpilot", "tp-late", texts["api"])]
    (mail,) = shop.mailbox.received
    assert mail.recipients == ["piet@klant.example"]
    message = mail.message
    assert (
        message["In-Reply-To"] == "<m1@klant.example>"
        and message["Subject"] == "Re: Bestelling 1234"
    )
    assert message.get_content().replace("\r\n", "\n").strip() == texts["mail"].strip()  # type: ignore[union-attr]
    assert "Auto-Submitted" not in message  # a person's reply, not an automatic one
    assert draft_for(engine, ROUTES["manual"]).status == "approved"  # waits for a person
    again = shop.post()
    assert again.posted == 0 and len(platform.replies) == 1 and len(shop.mailbox.received) == 1


def test_a_crash_after_the_platform_accepted_does_not_post_twice(shop: Shop) -> None:
    engine, platform = shop.engine, shop.platform
    draft_id = approve(engine, "tp-late", shop.settings)
    platform.accept_then_fail(500)  # the platform stores the reply, the answer is lost
    first = shop.post()
    assert first.failed == 1 and post_row(engine, draft_id).status == "queued"  # type: ignore[union-attr]
    later = datetime.now(UTC) + timedelta(hours=2)
    second = shop.post(later)
    assert second.posted == 1
    assert [r for _, r, _ in platform.replies] == ["tp-late"]  # once
    with session_scope(engine) as session:
        actions = (
            session.exec(select(AuditEvent.action).where(AuditEvent.draft_id == draft_id))
            .scalars()
            .all()
        )
    assert actions.count("posted") == 1 and "post_failed" in actions


def test_a_process_that_died_mid_post_leaves_a_claim_that_lapses_and_is_checked(shop: Shop) -> None:
    engine, platform = shop.engine, shop.platform
    draft_id = approve(engine, "tp-late", shop.settings)
    text = draft_for(engine, "tp-late").approved_text
    queue(shop)
    with session_scope(engine) as session:
        session.exec(update(ReplyPost).where(ReplyPost.draft_id == draft_id).values(
            status="sending", not_before=datetime.now(UTC) + timedelta(minutes=10)))  # fmt: skip
        session.commit()
    platform._accept("trustpilot", "tp-late", text)  # that process got its reply through
    assert shop.post().posted == 0  # the claim still holds
    later = datetime.now(UTC) + timedelta(minutes=11)
    assert shop.post(later).posted == 1
    assert len(platform.replies) == 1  # read back, not posted again


def test_someone_elses_reply_at_the_platform_stops_the_post(shop: Shop) -> None:
    engine, platform = shop.engine, shop.platform
    draft_id = approve(engine, "tp-late", shop.settings)
    platform._accept("trustpilot", "tp-late", "Een collega antwoordde al in het dashboard.")
    shop.post()
    post = post_row(engine, draft_id)
    assert post.status == "cancelled" and "al een ander antwoord" in (post.last_error or "")  # type: ignore[union-attr]
    assert len(platform.replies) == 1


def test_without_a_mail_server_a_mail_reply_waits_and_says_why(
    make_settings: Callable[..., Settings], database_url: str, platform: FakePlatform
) -> None:
    settings = shop_settings(make_settings, database_url, platform)
    engine = seed(settings)
    draft_id = approve(engine, "<m1@klant.example>", settings)
    done = post_replies(engine=engine, settings=settings)
    post = post_row(engine, draft_id)
    assert done.failed == 1 and post.status == "queued" and "mailserver" in (post.last_error or "")  # type: ignore[union-attr]
    engine.dispose()


def test_the_pipeline_posts_approved_replies_and_logs_it(shop: Shop) -> None:
    from monitor.pipeline import run_pipeline

    engine, platform = shop.engine, shop.platform
    approve(engine, "tp-new", shop.settings)
    result = run_pipeline(shop.settings, engine=engine, sources=[])
    (step,) = [s for s in result.steps if s.stage == "post"]
    assert step.processed == 1 and "1 antwoord(en) geplaatst" in (step.note or "")
    assert [r for _, r, _ in platform.replies] == ["tp-new"]
