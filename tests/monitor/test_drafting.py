"""Drafts in the store: each review's own discount code (generated or from the pool), the tone
check on approval, 'drafts check', 'codes import/list', the LLM writer in the pipeline, and the
[drafts] settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.cli import main
from monitor.config import Settings
from monitor.db import open_store, session_scope
from monitor.decisions import approve_draft
from monitor.errors import ConfigError, ToneBlocked
from monitor.models import DiscountCode, Draft, Review
from monitor.pipeline import run_pipeline
from tests.drafts.fake_llm import Answer, FakeLlmServer

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
CONTACTS = ["service@testwinkel.example"]
ROWS = (
    "k1,{when},Marieke V.,1,Borden kapot aangekomen. Heel slecht en erg teleurgesteld!\n"
    "k2,{when},Joop,1,Pakket nog steeds niet geleverd. Waardeloos!\n"
    "k3,{when},Eva,5,Super snel geleverd en prachtige borden. Top!\n"
)


def write_export(path: Path, rows: str = ROWS) -> None:
    when = (NOW - timedelta(hours=2)).isoformat()
    path.write_text(
        "external_id,published_at,author,rating,text\n" + rows.format(when=when), encoding="utf-8"
    )


@pytest.fixture
def settings(tmp_path: Path, make_settings: Callable[..., Settings], database_url: str) -> Settings:
    write_export(tmp_path / "export.csv")
    return make_settings(
        database_url, sources={"export": {"type": "file", "path": str(tmp_path / "export.csv")}}
    )


def draft_of(settings: Settings, external_id: str) -> Draft:
    with session_scope(open_store(settings.database_url)) as session:
        query = (
            select(Draft)
            .join(Review)
            .where(Review.external_id == external_id, Draft.status != "superseded")
        )
        return session.exec(query).one()[0]


def codes(settings: Settings) -> dict[str, str]:
    with session_scope(open_store(settings.database_url)) as session:
        rows = session.exec(
            select(Review.external_id, DiscountCode.code).join(
                Review, Review.id == DiscountCode.review_id
            )
        ).all()
    return dict(rows)


def config_file(settings: Settings, tmp_path: Path, extra: str = "") -> str:
    path = tmp_path / "c.toml"
    path.write_text(
        f'[shop]\nname = "Testwinkel"\ncontact_email = "service@testwinkel.example"\n'
        f'[database]\nurl = "{settings.database_url}"\n{extra}',
        encoding="utf-8",
    )
    return str(path)


def test_a_serious_complaint_gets_its_own_code_which_a_redraft_keeps(
    settings: Settings, tmp_path: Path
) -> None:
    run_pipeline(settings, now=NOW)
    given = codes(settings)
    assert set(given) == {"k1", "k2"}  # two complaints; the compliment gets none
    assert given["k1"] != given["k2"]
    assert all(code.startswith("SORRY-") and len(code) == 14 for code in given.values())
    assert given["k1"] in draft_of(settings, "k1").text
    write_export(tmp_path / "export.csv", ROWS.replace("Heel slecht", "Echt heel slecht"))
    run_pipeline(settings, now=NOW)
    assert codes(settings) == given  # the edited review is drafted again, with its own code
    assert given["k1"] in draft_of(settings, "k1").text


def test_codes_come_from_the_pool_once_each_and_an_empty_pool_is_reported(
    settings: Settings, tmp_path: Path, make_settings: Callable[..., Settings],
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    config = config_file(settings, tmp_path)
    (tmp_path / "codes.csv").write_text("code\nWEB-AAA111\nWEB-AAA111\n", encoding="utf-8")
    assert main(["--config", config, "codes", "import", str(tmp_path / "codes.csv"),
                 "--percent", "10", "--expires", "2027-03-31"]) == 0  # fmt: skip
    assert "1 codes toegevoegd aan de pool, 0 al bekend" in capsys.readouterr().out
    pooled = make_settings(
        settings.database_url,
        sources={"export": {"type": "file", "path": str(tmp_path / "export.csv")}},
        drafts={"codes": {"source": "pool"}},
    )
    result = run_pipeline(pooled, now=NOW)
    assert list(codes(pooled).values()) == ["WEB-AAA111"]
    draft_step = next(step for step in result.steps if step.stage == "draft")
    assert any("codepool is leeg: 1 concept" in warning for warning in draft_step.warnings)
    assert "geldig tot en met 31 maart 2027" in draft_of(pooled, next(iter(codes(pooled)))).text
    assert main(["--config", config, "codes", "list"]) == 0
    assert "0 vrij, 1 uitgegeven" in capsys.readouterr().out


def test_approval_runs_the_tone_check_on_an_edit(settings: Settings) -> None:
    run_pipeline(settings, now=NOW)
    draft_id = draft_of(settings, "k2").id
    with session_scope(open_store(settings.database_url)) as session:
        with pytest.raises(ToneBlocked) as blocked:
            approve_draft(
                session=session, draft_id=draft_id, by="Sanne", shop_contacts=CONTACTS,
                text="Dat is de schuld van PostNL. Bel ons op 06-12345678!!",
            )  # fmt: skip
        session.rollback()
    reasons = " ".join(blocked.value.reasons)
    assert "PostNL" in reasons and "06-12345678" in reasons
    assert draft_of(settings, "k2").status == "pending"
    with session_scope(open_store(settings.database_url)) as session:
        approved = approve_draft(
            session=session, draft_id=draft_id, by="Sanne", shop_contacts=CONTACTS
        )  # the draft itself, with the shop's address and the review's code, passes
        session.commit()
        assert approved.status == "approved"


def test_the_cli_shows_why_an_edit_is_refused(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_pipeline(settings, now=NOW)
    config = config_file(settings, tmp_path)
    draft_id = str(draft_of(settings, "k2").id)
    edit = "Had u maar beter opgelet. Wij komen erop terug."
    assert main(["--config", config, "drafts", "approve", draft_id, "--text", edit]) == 1
    err = capsys.readouterr().err
    assert "niet goedgekeurd" in err and "had u maar" in err.lower() and "erop terug" in err
    assert draft_of(settings, "k2").status == "pending"


def test_drafts_check_vets_a_csv_of_replies(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv
    import io

    source = tmp_path / "replies.csv"
    source.write_text(
        "id,text\n"
        '1,"Dank u voor uw bericht. U hoort uiterlijk vrijdag 27 november van ons. Groet, Sanne"\n'
        '2,"Eigen schuld, u had beter moeten lezen."\n'
        '3,"Mail ons via service@testwinkel.example, dan regelen we het vandaag."\n'
        "4,\n",
        encoding="utf-8",
    )
    config = config_file(settings, tmp_path)
    assert main(["--config", config, "drafts", "check", "--csv", str(source)]) == 1
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    assert [row["ok"] for row in rows] == ["true", "false", "true", "false"]
    assert list(rows[0]) == ["text", "ok", "reasons"]
    assert "eigen schuld" in rows[1]["reasons"].lower()
    assert rows[3]["reasons"] == "Het antwoord is leeg."
    assert "4 antwoorden gecontroleerd, 2 tegengehouden" in captured.err
    (tmp_path / "bad.csv").write_text("reply\nhallo\n", encoding="utf-8")
    assert main(["--config", config, "drafts", "check", "--csv", str(tmp_path / "bad.csv")]) == 1
    assert "geen kolom 'text'" in capsys.readouterr().err


def test_the_pipeline_uses_the_llm_and_gives_up_on_a_dead_server(
    settings: Settings, tmp_path: Path, make_settings: Callable[..., Settings],
    llm_server: FakeLlmServer,
) -> None:  # fmt: skip
    llm_server.script(Answer(503, "{}"))
    with_llm = make_settings(
        settings.database_url,
        sources={"export": {"type": "file", "path": str(tmp_path / "export.csv")}},
        drafts={"llm": {"url": llm_server.url, "model": "test", "timeout_seconds": 2}},
    )
    result = run_pipeline(with_llm, now=NOW)
    assert len(llm_server.requests) == 3  # three failures in a row: templates for the rest
    step = next(step for step in result.steps if step.stage == "draft")
    assert any("sjablonen" in warning and "503" in warning for warning in step.warnings)
    assert {draft_of(with_llm, key).writer for key in ("k1", "k2", "k3")} == {"templates"}


def test_an_llm_draft_that_passes_is_stored_as_the_llms(
    settings: Settings, tmp_path: Path, make_settings: Callable[..., Settings],
    llm_server: FakeLlmServer,
) -> None:  # fmt: skip
    write_export(tmp_path / "export.csv", ROWS.splitlines(keepends=True)[2])  # the compliment
    llm_server.reply(
        "Beste Eva,\n\nDank je wel! Fijn dat de levering zo snel ging en dat de borden je "
        "bevallen.\n\nHartelijke groet,\nHet klantenserviceteam\nTestwinkel"
    )
    with_llm = make_settings(
        settings.database_url,
        sources={"export": {"type": "file", "path": str(tmp_path / "export.csv")}},
        drafts={"llm": {"url": llm_server.url, "model": "test"}},
    )
    run_pipeline(with_llm, now=NOW)
    stored = draft_of(with_llm, "k3")
    assert stored.writer == "llm" and stored.text.startswith("Beste Eva,\n\nDank je wel!")


def test_draft_settings(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(
        drafts={"signature": ["Sanne", "Joris"], "compensation": {"serious": 5}, "return_days": 30}
    )
    policy = settings.drafts.policy(shop_name="X", contact_email="")
    assert policy.signatures == ("Sanne", "Joris")
    assert policy.discount_percent["serious"] == 5 and policy.return_days == 30
    assert policy.remedies["retour en terugbetaling"] == ("refund",)
    with pytest.raises(ConfigError, match="aspecten uit deze lijst"):
        make_settings(drafts={"compensation": {"aspects": {"bezorging": ["refund"]}}})
    with pytest.raises(ConfigError, match="return_days"):
        make_settings(drafts={"return_days": 7})  # the law gives 14 days at least
    with pytest.raises(ConfigError, match=r"\{code\}"):
        make_settings(drafts={"codes": {"format": "SORRY"}})
    with pytest.raises(ConfigError, match="http"):
        make_settings(drafts={"llm": {"url": "ftp://model"}})
    keyed = make_settings(drafts={"llm": {"url": "http://127.0.0.1:9/v1", "api_key": "geheim123"}})
    assert "geheim123" in keyed.secrets()
