"""Promised dates in approved replies become reminders; the CLI lists them and marks them done."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from drafts.workdays import add_working_days
from monitor.cli import main
from monitor.config import Settings
from monitor.db import open_store, session_scope
from monitor.decisions import approve_draft
from monitor.models import Draft, Reminder, Review
from monitor.pipeline import run_pipeline

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # a Tuesday, 10:00 in Amsterdam
CONTACTS = ["service@testwinkel.example"]  # the shop's own address, allowed in a reply


@pytest.fixture
def settings(tmp_path: Path, make_settings: Callable[..., Settings], database_url: str) -> Settings:
    when = (NOW - timedelta(hours=2)).isoformat()
    (tmp_path / "export.csv").write_text(
        "external_id,published_at,author,rating,text\n"
        f"k1,{when},Marieke V.,1,Pakket nog steeds niet geleverd. Heel slecht.\n"
        f"k2,{when},Joop,1,Borden kapot aangekomen, erg teleurgesteld.\n",
        encoding="utf-8",
    )
    return make_settings(
        database_url, sources={"export": {"type": "file", "path": str(tmp_path / "export.csv")}}
    )


def draft_for(settings: Settings, external_id: str) -> int:
    with session_scope(open_store(settings.database_url)) as session:
        query = select(Draft.id).join(Review).where(Review.external_id == external_id)
        return session.exec(query).one()[0]


def test_an_approved_replys_own_dates_become_reminders(settings: Settings) -> None:
    run_pipeline(settings, now=NOW)
    engine = open_store(settings.database_url)
    with session_scope(engine) as session:
        edited = (
            "Beste Marieke, excuses! We bellen u uiterlijk donderdag 3 december, en het bedrag "
            "staat binnen 5 werkdagen op uw rekening. Groet, Sanne"
        )
        approve_draft(
            session=session,
            draft_id=draft_for(settings, "k1"),
            by="Sanne",
            text=edited,
            shop_contacts=CONTACTS,
        )
        approve_draft(
            session=session, draft_id=draft_for(settings, "k2"), by="Sanne", shop_contacts=CONTACTS
        )
        session.commit()
    result = run_pipeline(settings, now=NOW)
    (step,) = [s for s in result.steps if s.stage == "promises"]
    assert (step.processed, step.new) == (2, 3)
    with session_scope(engine) as session:
        reminders = session.exec(select(Reminder).order_by(Reminder.due_date)).scalars().all()
        by_review = {}
        for reminder in reminders:
            review = session.get(Review, reminder.review_id)
            by_review.setdefault(review.external_id, []).append(reminder)
    # The person's edit counts: their dates, not the drafted one.
    assert [r.due_date for r in by_review["k1"]] == [date(2026, 12, 1), date(2026, 12, 3)]
    assert by_review["k1"][0].what.startswith("terugbetaling aan Marieke V.")
    # An approved draft as written promises its own follow-up date.
    drafted = add_working_days(date(2026, 11, 24), settings.drafts.followup_working_days)
    assert [r.due_date for r in by_review["k2"]] == [drafted]
    # Reading again adds nothing.
    again = run_pipeline(settings, now=NOW)
    assert [(s.processed, s.new) for s in again.steps if s.stage == "promises"] == [(0, 0)]


def test_the_cli_lists_reminders_and_marks_one_done(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_pipeline(settings, now=NOW)
    with session_scope(open_store(settings.database_url)) as session:
        approve_draft(
            session=session, draft_id=draft_for(settings, "k2"), by="Sanne", shop_contacts=CONTACTS
        )
        session.commit()
    run_pipeline(settings, now=NOW)
    config = tmp_path / "c.toml"
    config.write_text(f'[database]\nurl = "{settings.database_url}"\n', encoding="utf-8")
    assert main(["--config", str(config), "reminders", "list"]) == 0
    out = capsys.readouterr().out
    assert "november 2026 · " in out or "december 2026 · " in out
    reminder_id = int(out.split("]")[0].lstrip("["))
    assert (
        main(["--config", str(config), "reminders", "done", str(reminder_id), "--by", "Joost"]) == 0
    )
    assert "afgerond door Joost" in capsys.readouterr().out
    assert main(["--config", str(config), "reminders", "list"]) == 0
    assert capsys.readouterr().out.strip() == "Geen openstaande beloftes."
    assert main(["--config", str(config), "reminders", "done", str(reminder_id)]) == 1
