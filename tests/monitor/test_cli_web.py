"""The terminal twins of the web app: users add/list/password/disable, drafts edit, approve
(which posts), answered, reopen, posted; and serve's help."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.cli import main
from monitor.config import Settings
from monitor.db import session_scope
from monitor.models_web import ReplyPost, User
from monitor.users import authenticate
from tests.fake_platform import FakePlatform
from tests.monitor.shopdata import draft_for, seed, shop_settings


@pytest.fixture
def shop(make_settings: Callable[..., Settings], tmp_path: Path):  # type: ignore[no-untyped-def]
    with FakePlatform() as platform:
        settings = shop_settings(make_settings, f"sqlite:///{tmp_path / 'cli.sqlite'}", platform)
        engine = seed(settings)
        config = tmp_path / "reviewwacht.toml"
        trustpilot = "\n".join(
            f'{key} = "{value}"' for key, value in platform.settings("trustpilot").items()
        )
        config.write_text(
            f'[shop]\nname = "Testwinkel"\ncontact_email = "service@testwinkel.example"\n'
            f'[database]\nurl = "{settings.database_url}"\n'
            f"[http]\nmin_delay_seconds = 0\nretries = 0\n"
            f'[sources.trustpilot]\ntype = "trustpilot"\n{trustpilot}\n'
            f'[sources.eigen]\ntype = "file"\npath = "eigen.csv"\n'
            f'[sources.mail]\ntype = "file"\npath = "mail.csv"\n',
            encoding="utf-8",
        )
        yield str(config), engine, platform
        engine.dispose()


def run(
    args: list[str], capsys: pytest.CaptureFixture[str], stdin: str = ""
) -> tuple[int, str, str]:
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = main(args)
    finally:
        sys.stdin = old
    out, err = capsys.readouterr()
    return code, out, err


def test_users_are_added_listed_given_a_new_password_and_disabled(shop, capsys) -> None:  # type: ignore[no-untyped-def]
    config, engine, _ = shop
    code, out, _ = run(["--config", config, "users", "add", "Lotte", "--role", "marketing",
                        "--password-stdin"], capsys, "nog-een-wachtwoord\n")  # fmt: skip
    assert code == 0 and "lotte toegevoegd als marketing" in out
    code, _, err = run(["--config", config, "users", "add", "lotte", "--role", "owner",
                        "--password-stdin"], capsys, "nog-een-wachtwoord\n")  # fmt: skip
    assert code == 1 and "bestaat al" in err
    code, _, err = run(["--config", config, "users", "add", "kort", "--role", "owner",
                        "--password-stdin"], capsys, "kort\n")  # fmt: skip
    assert code == 1 and "minstens 10 tekens" in err
    code, out, _ = run(["--config", config, "users", "list"], capsys)
    assert "lotte · marketing · laatst ingelogd: nooit" in out and "sanne · eigenaar" in out
    with session_scope(engine) as session:
        stored = session.exec(select(User.password_hash).where(User.username == "lotte")).scalar()
    assert stored.startswith("$argon2id$") and "nog-een-wachtwoord" not in stored
    run(
        ["--config", config, "users", "password", "lotte", "--password-stdin"],
        capsys,
        "een-ander-wachtwoord\n",
    )
    run(["--config", config, "users", "disable", "lotte"], capsys)
    with session_scope(engine) as session:
        assert (
            authenticate(session=session, username="lotte", password="nog-een-wachtwoord") is None
        )
        assert (
            authenticate(session=session, username="lotte", password="een-ander-wachtwoord") is None
        )
    run(["--config", config, "users", "enable", "lotte"], capsys)
    with session_scope(engine) as session:
        assert authenticate(session=session, username="lotte", password="een-ander-wachtwoord")


def test_drafts_edit_then_approve_posts_to_the_platform(shop, capsys) -> None:  # type: ignore[no-untyped-def]
    config, engine, platform = shop
    draft = draft_for(engine, "tp-late")
    code, _, err = run(["--config", config, "drafts", "edit", str(draft.id), "--text",
                        "Had u maar beter opgelet."], capsys)  # fmt: skip
    assert code == 1 and "niet aangepast" in err and "schuld" in err
    text = draft.text + "\n\nWe bellen u morgen voor 12:00 uur."
    code, out, _ = run(
        ["--config", config, "drafts", "edit", str(draft.id), "--text", text], capsys
    )
    assert code == 0 and "aangepast" in out
    assert draft_for(engine, "tp-late").status == "pending" and platform.replies == []
    code, out, _ = run(
        ["--config", config, "drafts", "approve", str(draft.id), "--by", "sanne"], capsys
    )
    assert code == 0 and "goedgekeurd" in out and "geplaatst" in out
    assert platform.replies == [("trustpilot", "tp-late", text)]
    code, out, _ = run(["--config", config, "drafts", "show", str(draft.id)], capsys)
    assert "Plaatsen: geplaatst" in out


def test_a_reply_without_an_api_is_pasted_and_confirmed_from_the_terminal(shop, capsys) -> None:  # type: ignore[no-untyped-def]
    config, engine, platform = shop
    draft_id = str(draft_for(engine, "own-1").id)
    code, out, _ = run(["--config", config, "drafts", "approve", draft_id], capsys)
    assert code == 0 and f"drafts posted {draft_id}" in out
    code, out, _ = run(["--config", config, "drafts", "reopen", draft_id], capsys)
    assert code == 0 and "weer open" in out
    code, _, err = run(["--config", config, "drafts", "posted", draft_id], capsys)
    assert code == 1 and "niet goedgekeurd" in err
    run(["--config", config, "drafts", "approve", draft_id], capsys)
    code, out, _ = run(["--config", config, "drafts", "posted", draft_id, "--by", "sanne"], capsys)
    assert code == 0 and "geplaatst" in out
    with session_scope(engine) as session:
        post = (
            session.exec(select(ReplyPost).where(ReplyPost.draft_id == int(draft_id)))
            .scalars()
            .one()
        )
    assert post.status == "posted" and post.posted_by == "sanne" and platform.replies == []


def test_answered_elsewhere_and_a_failed_post_from_the_terminal(shop, capsys) -> None:  # type: ignore[no-untyped-def]
    config, engine, platform = shop
    praise = str(draft_for(engine, "tp-praise").id)
    code, out, _ = run(
        ["--config", config, "drafts", "answered", praise, "--note", "telefonisch"], capsys
    )
    assert code == 0 and "elders beantwoord" in out
    platform.fail_next(503, kind="reply")
    late = str(draft_for(engine, "tp-new").id)
    code, out, _ = run(["--config", config, "drafts", "approve", late], capsys)
    assert code == 1 and "niet gelukt" in out and "opnieuw geprobeerd" in out
    code, out, _ = run(["--config", config, "drafts", "list", "--status", "answered"], capsys)
    assert "Super snel" in out


def test_serve_and_users_explain_themselves(capsys) -> None:  # type: ignore[no-untyped-def]
    for command in (["serve", "--help"], ["users", "add", "--help"], ["drafts", "edit", "--help"]):
        with pytest.raises(SystemExit):
            main(command)
        out = capsys.readouterr().out
        assert "gebruik:" in out.lower() or "usage" in out.lower()
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    assert "127.0.0.1:8080" in capsys.readouterr().out
