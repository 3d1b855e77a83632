"""The whole pipeline on SQLite and PostgreSQL: re-runs add nothing, edits are followed, a failing
source does not stop the others, and a crash anywhere followed by a re-run ends where an
uninterrupted run ends."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import col

import monitor.pipeline
import monitor.stages.collect
from monitor.config import Settings, load_settings
from monitor.db import open_store, session_scope
from monitor.decisions import approve_draft, reject_draft
from monitor.errors import InvalidTransition
from monitor.models import (
    DiscountCode,
    Draft,
    Flag,
    Review,
    ReviewHistory,
    Run,
    RunStep,
    Score,
    Source,
)
from monitor.pipeline import run_pipeline
from monitor.report import build_report

NOW = datetime.now(UTC).replace(microsecond=0)
HEADER = ["review_id", "datum", "naam", "score", "titel", "review"]
ROWS = [
    ("KV-1", 2, "Marieke V.", 1, "Nog steeds niet binnen", "Pakket al een week onderweg en geen reactie op mijn mail. Heel slecht."),
    ("KV-2", 3, "Ronald", 2, "Onbereikbaar", "Drie dagen gebeld, niemand neemt op. Geen aanrader."),
    ("KV-3", 5, "Sanne K.", 10, "Top winkel", "Super snel geleverd en heel vriendelijk geholpen. Dikke aanrader!"),
    ("KV-4", 8, "Joop", 9, "Prima", "Mooi servies, goed verpakt."),
    ("KV-5", 20, "Els", 10, "Geweldig", "Geweldig koksmes, vlijmscherp en prachtig afgewerkt."),
    ("KV-6", 30, "Bas", 1, "Kapot", "Borden gebroken aangekomen, erg teleurgesteld."),
    ("KV-7", 45, "Ingrid", 8, "Tevreden", "Netjes en snel geleverd."),
    ("KV-8", 60, "Piet", 7, "Redelijk", "Prima pan, levering duurde wat lang."),
]  # fmt: skip
MAIL = """\
From: Thomas Brouwer <T.Brouwer@example.nl>
To: service@testwinkel.example
Subject: Terugbetaling retour braadpan
Date: {date}
Message-ID: <{mid}@mail.example.nl>
Content-Type: text/plain; charset=utf-8

Twee weken geleden teruggestuurd en nog steeds geen geld terug. Heel vervelend.
"""


def export_csv(rows: list[tuple[Any, ...]], replies: dict[str, str] | None = None) -> str:
    """The export; with ``replies``, a column with the shop's public replies too."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER + (["reactie"] if replies is not None else []))
    for external_id, days_ago, name, score, title, text in rows:
        when = (NOW - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
        reply = [replies.get(external_id, "")] if replies is not None else []
        writer.writerow([external_id, when, name, score, title, text, *reply])
    return out.getvalue()


def make_maildir(root: Path, count: int) -> Path:
    for folder in ("cur", "new", "tmp"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for number in range(count):
        date = (NOW - timedelta(hours=3 + number)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        body = MAIL.format(date=date, mid=f"m{number}")
        (root / "new" / f"17000000{number}.m{number}.test").write_text(body, encoding="utf-8")
    return root


@pytest.fixture
def shop(
    tmp_path: Path, make_settings: Callable[..., Settings], database_url: str
) -> dict[str, Any]:
    """A shop with a CSV export (1-10 scale) and a Maildir, on the database under test."""
    export = tmp_path / "export.csv"
    export.write_text(export_csv(ROWS), encoding="utf-8")
    maildir = make_maildir(tmp_path / "Maildir", 2)
    sources = {
        "export": {
            "type": "file",
            "path": str(export),
            "rating_max": 10,
            "columns": {"external_id": "review_id", "published_at": "datum", "author": "naam",
                        "rating": "score", "title": "titel", "text": "review"},
        },
        "mail": {"type": "maildir", "path": str(maildir)},
    }  # fmt: skip
    settings = make_settings(database_url, sources=sources, pipeline={"batch_size": 3})
    return {"settings": settings, "export": export, "maildir": maildir, "sources": sources}


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """The pipeline's lasting output, without ids and times, for comparing two databases; each
    review's discount code (random) is written as <CODE> in its drafts."""
    with session_scope(engine) as session:
        codes = {
            external_id: code
            for external_id, code in session.exec(
                select(Review.external_id, DiscountCode.code)
                .join(Review, Review.id == DiscountCode.review_id)
            ).all()
        }  # fmt: skip
        reviews = session.exec(
            select(Source.label, Review.external_id, Review.content_hash, Review.text)
            .join(Source, Source.id == Review.source_id)
        ).all()  # fmt: skip
        scores = session.exec(
            select(Review.external_id, Score.content_hash, Score.label, Score.kind, Score.score)
            .join(Review, Review.id == Score.review_id)
        ).all()  # fmt: skip
        drafts = session.exec(
            select(Review.external_id, Draft.content_hash, Draft.status, Draft.kind, Draft.text)
            .join(Review, Review.id == Draft.review_id)
        ).all()  # fmt: skip
        drafts = [
            (*row[:4], row[4].replace(codes[row[0]], "<CODE>") if row[0] in codes else row[4])
            for row in drafts
        ]
        flags = session.exec(select(Flag.kind, Flag.key, Flag.severity)).all()
        history = session.exec(select(ReviewHistory.text)).all()
    return {
        name: sorted(tuple(row) for row in rows)
        for name, rows in {
            "reviews": reviews, "scores": scores, "drafts": drafts, "flags": flags,
            "history": history,
        }.items()
    }  # fmt: skip


def test_a_run_collects_scores_flags_drafts_and_reports(shop: dict[str, Any]) -> None:
    settings = shop["settings"]
    result = run_pipeline(settings, now=NOW)
    assert result.status == "ok", [step.message for step in result.steps]
    assert result.report is not None and result.report.is_file()
    engine = open_store(settings.database_url)
    state = snapshot(engine)
    assert len(state["reviews"]) == len(ROWS) + 2
    assert len(state["scores"]) == len(ROWS) + 2
    kinds = {row[0]: row[3] for row in state["scores"]}
    assert kinds["KV-1"] == "complaint" and kinds["KV-3"] == "compliment"
    drafted = {row[0] for row in state["drafts"]}
    assert "KV-1" in drafted and "KV-3" in drafted
    assert "KV-7" not in drafted  # older than drafts.max_age_days: history, not a to-do
    assert "<m0@mail.example.nl>" in drafted  # the customer mail gets a draft too
    assert all(row[2] == "pending" for row in state["drafts"])
    collect_steps = [step for step in result.steps if step.stage == "collect"]
    assert {step.source_label: step.new for step in collect_steps} == {"export": 8, "mail": 2}
    with session_scope(engine) as session:
        run = session.get(Run, result.run_id)
        assert run.status == "ok" and run.finished_at is not None
        stages = [
            s.stage for s in session.exec(select(RunStep).where(RunStep.run_id == run.id)).scalars()
        ]
    assert stages == [
        "collect",
        "collect",
        "score",
        "flag",
        "draft",
        "promises",
        "notify",
        "post",
        "report",
    ]


def test_running_the_same_input_twice_adds_nothing(shop: dict[str, Any]) -> None:
    settings = shop["settings"]
    run_pipeline(settings, now=NOW)
    engine = open_store(settings.database_url)
    first = snapshot(engine)
    second_run = run_pipeline(settings, now=NOW)
    assert snapshot(engine) == first
    collect = {step.source_label: (step.new, step.updated, step.unchanged)
               for step in second_run.steps if step.stage == "collect"}  # fmt: skip
    assert collect == {"export": (0, 0, 8), "mail": (0, 0, 2)}


def test_an_edited_review_is_updated_rescored_and_redrafted(shop: dict[str, Any]) -> None:
    settings = shop["settings"]
    run_pipeline(settings, now=NOW)
    edited = list(ROWS)
    edited[0] = (
        "KV-1",
        2,
        "Marieke V.",
        9,
        "Toch opgelost",
        "Inmiddels binnen en keurig opgelost, dank!",
    )
    shop["export"].write_text(export_csv(edited), encoding="utf-8")
    result = run_pipeline(settings, now=NOW)
    assert [s.updated for s in result.steps if s.source_label == "export"] == [1]
    engine = open_store(settings.database_url)
    state = snapshot(engine)
    assert [row[3] for row in state["reviews"] if row[1] == "KV-1"] == [edited[0][5]]
    assert ROWS[0][5] in [row[0] for row in state["history"]]
    kv1_scores = [row for row in state["scores"] if row[0] == "KV-1"]
    assert len(kv1_scores) == 2  # one per version
    kv1_drafts = sorted((row[2], row[3]) for row in state["drafts"] if row[0] == "KV-1")
    assert kv1_drafts == [("pending", "compliment"), ("superseded", "complaint")]


def test_a_failing_source_is_recorded_and_the_others_go_on(shop: dict[str, Any]) -> None:
    settings = shop["settings"]
    shop["export"].unlink()
    result = run_pipeline(settings, now=NOW)
    assert result.status == "failed"
    failed = [step for step in result.steps if step.failed]
    assert [(step.stage, step.source_label) for step in failed] == [("collect", "export")]
    assert "niet beschikbaar" in failed[0].message  # plain Dutch, not a traceback
    assert "Traceback" not in failed[0].message
    engine = open_store(settings.database_url)
    state = snapshot(engine)
    assert len(state["reviews"]) == 2  # the mails arrived
    assert len(state["drafts"]) == 2  # and the later stages still ran on them
    assert result.report is not None and result.report.is_file()
    with session_scope(engine) as session:
        (step,) = session.exec(select(RunStep).where(RunStep.status == "failed")).scalars()
        assert step.source_label == "export" and "niet beschikbaar" in step.message
        run = session.get(Run, result.run_id)
        assert run.status == "failed"


def test_an_internal_error_in_a_stage_is_recorded_without_stopping_the_run(
    shop: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**_: Any) -> None:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(monitor.pipeline, "run_flag", broken)
    result = run_pipeline(shop["settings"], now=NOW)
    assert result.status == "failed"
    (failed,) = [step for step in result.steps if step.failed]
    assert failed.stage == "flag" and "Interne fout (ZeroDivisionError)" in failed.message
    assert [s.stage for s in result.steps if not s.failed][-4:] == [
        "promises",
        "notify",
        "post",
        "report",
    ]


class Crash(BaseException):
    """Stands for the process being killed: nothing in the pipeline catches it."""


def crash_after(calls: int, function: Callable[..., Any]) -> Callable[..., Any]:
    seen = {"calls": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        seen["calls"] += 1
        if seen["calls"] > calls:
            raise Crash
        return function(*args, **kwargs)

    return wrapper


def crash_between_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(monitor.pipeline, "run_flag", crash_after(0, monitor.pipeline.run_flag))


def crash_inside_a_scoring_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    import monitor.stages.score as score_stage

    monkeypatch.setattr(score_stage, "save_scores", crash_after(1, score_stage.save_scores))


def crash_inside_a_collect_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        monitor.stages.collect,
        "upsert_reviews",
        crash_after(1, monitor.stages.collect.upsert_reviews),
    )


def crash_inside_a_draft_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    import monitor.stages.draft as draft_stage

    monkeypatch.setattr(draft_stage, "add_draft", crash_after(2, draft_stage.add_draft))


@pytest.mark.parametrize(
    "inject",
    [crash_between_stages, crash_inside_a_collect_batch, crash_inside_a_scoring_batch,
     crash_inside_a_draft_batch],
)  # fmt: skip
def test_a_crash_then_a_rerun_ends_like_an_uninterrupted_run(
    shop: dict[str, Any],
    make_settings: Callable[..., Settings],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    inject: Callable[[pytest.MonkeyPatch], None],
) -> None:
    reference_settings = make_settings(
        f"sqlite:///{tmp_path / 'reference.sqlite'}", sources=shop["sources"],
        pipeline={"batch_size": 3}, report={"out_dir": str(tmp_path / "ref-out")},
    )  # fmt: skip
    run_pipeline(reference_settings, now=NOW)
    expected = snapshot(open_store(reference_settings.database_url))

    settings = shop["settings"]
    with monkeypatch.context() as patch:
        inject(patch)
        with pytest.raises(Crash):
            run_pipeline(settings, now=NOW)
    engine = open_store(settings.database_url)
    interrupted = snapshot(engine)
    assert interrupted != expected  # the crash really left work undone

    result = run_pipeline(settings, now=NOW)
    assert result.status == "ok"
    assert snapshot(engine) == expected
    with session_scope(engine) as session:
        runs = list(session.exec(select(Run).order_by(Run.id)).scalars())
        assert [run.status for run in runs] == ["running", "ok"]  # the crashed run stays visible
        assert runs[0].finished_at is None


def test_the_run_log_never_holds_a_secret(
    tmp_path: Path, make_settings: Callable[..., Settings], database_url: str
) -> None:
    secret_url = "http://127.0.0.1:9/export.csv?code=s3cr3t-token-123"
    settings = make_settings(
        database_url, sources={"kiyoh": {"type": "file", "url": secret_url}},
        http={"timeout_seconds": 1},
    )  # fmt: skip
    result = run_pipeline(settings, now=NOW)
    (failed,) = [step for step in result.steps if step.failed]
    assert "127.0.0.1:9/export.csv" in failed.message
    with session_scope(open_store(settings.database_url)) as session:
        messages = session.exec(
            select(RunStep.message).where(col(RunStep.message).is_not(None))
        ).all()
    assert messages and not any("s3cr3t" in (row[0] or "") for row in messages)


def test_a_draft_lapses_when_the_shop_replied_at_the_source_and_cannot_be_approved(
    shop: dict[str, Any],
) -> None:
    settings = shop["settings"]
    run_pipeline(settings, now=NOW)
    engine = open_store(settings.database_url)
    with session_scope(engine) as session:
        (draft_id,) = session.exec(
            select(Draft.id).join(Review).where(Review.external_id == "KV-1")
        ).one()
    # The shop answered KV-1 on the platform itself; the export now carries that reply.
    shop["export"].write_text(
        export_csv(ROWS, replies={"KV-1": "Sorry, opgelost! Sanne"}), encoding="utf-8"
    )
    export = shop["sources"]["export"]
    columns = {**export["columns"], "reply_text": "reactie"}
    sources = {**shop["sources"], "export": {**export, "columns": columns}}
    settings = settings.model_copy(update={"sources": make_sources(sources)})
    run_pipeline(settings, now=NOW)
    with session_scope(engine) as session:
        draft = session.get(Draft, draft_id)
        assert draft.status == "superseded"
        review = session.exec(select(Review).where(Review.external_id == "KV-1")).scalars().one()
        assert review.reply_text == "Sorry, opgelost! Sanne"
        with pytest.raises(InvalidTransition):
            approve_draft(session=session, draft_id=draft_id, by="Sanne")


def test_a_rejected_complaint_no_longer_waits_for_an_answer(shop: dict[str, Any]) -> None:
    settings = shop["settings"]
    run_pipeline(settings, now=NOW)
    engine = open_store(settings.database_url)
    with session_scope(engine) as session:
        before = build_report(session=session, settings=settings, now=NOW).urgent_total
        (draft_id,) = session.exec(
            select(Draft.id).join(Review).where(Review.external_id == "KV-1")
        ).one()
        reject_draft(session=session, draft_id=draft_id, by="Sanne", reason="Telefonisch opgelost")
        session.commit()
        after = build_report(session=session, settings=settings, now=NOW).urgent_total
    assert after == before - 1
    # The next run does not draft it again either.
    run_pipeline(settings, now=NOW)
    with session_scope(engine) as session:
        drafts = session.exec(
            select(Draft.status).join(Review).where(Review.external_id == "KV-1")
        ).all()
    assert [status for (status,) in drafts] == ["rejected"]


def make_sources(sources: dict[str, Any]) -> Any:
    return load_settings(discover=False, env={}, overrides={"sources": sources}).sources
