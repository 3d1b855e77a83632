"""Customer mails from a Maildir built in a temporary folder from the saved mails."""

from __future__ import annotations

import mailbox
from pathlib import Path

import pytest
from pydantic import ValidationError

from scrapers.base import Batch
from scrapers.errors import SourceUnavailable
from scrapers.maildir import MaildirCollector, MaildirSettings
from tests.scrapers.conftest import MakeClient

SAVED = 8  # mails in tests/pages/mail, one of them an auto-reply


def build_maildir(root: Path, pages: Path) -> Path:
    """A Maildir as a mail server leaves it: older mails read (cur/), the newest unread (new/)."""
    box = mailbox.Maildir(root, create=True)
    for number, path in enumerate(sorted((pages / "mail").glob("*.eml"))):
        message = mailbox.MaildirMessage(path.read_bytes())
        if number < 5:
            message.set_subdir("cur")
            message.add_flag("S")
        box.add(message)
    return root


def collect(path: Path, make_client: MakeClient, batch_size: int = 200) -> list[Batch]:
    settings = MaildirSettings(path=str(path), batch_size=batch_size)
    collector = MaildirCollector(settings, http=make_client(), label="service@")
    return list(collector.collect(cursor=None))


def test_every_mail_in_cur_and_new_becomes_a_record_except_the_auto_reply(
    tmp_path: Path, pages: Path, make_client: MakeClient
) -> None:
    root = build_maildir(tmp_path / "Maildir", pages)
    assert len(list((root / "cur").iterdir())) == 5
    assert len(list((root / "new").iterdir())) == SAVED - 5
    records = [record for batch in collect(root, make_client) for record in batch.records]
    assert len(records) == SAVED - 1
    assert all(record.channel == "mail" for record in records)
    titles = {record.title for record in records}
    assert "Theepot lekt bij de tuit" in titles
    assert "kortingscode werkt niet" in titles
    assert not any((title or "").startswith("Automatisch antwoord") for title in titles)
    assert len({record.external_id for record in records}) == len(records)


def test_batches_respect_the_batch_size(
    tmp_path: Path, pages: Path, make_client: MakeClient
) -> None:
    root = build_maildir(tmp_path / "Maildir", pages)
    batches = collect(root, make_client, batch_size=3)
    sizes = [len(batch.records) for batch in batches]
    assert all(size <= 3 for size in sizes)
    assert sizes[:2] == [3, 3]
    assert sum(sizes) == SAVED - 1


def test_reading_twice_gives_the_same_ids_and_leaves_the_folder_as_it_was(
    tmp_path: Path, pages: Path, make_client: MakeClient
) -> None:
    root = build_maildir(tmp_path / "Maildir", pages)
    files_before = sorted(path.relative_to(root) for path in root.rglob("*"))
    first = [record.external_id for batch in collect(root, make_client) for record in batch.records]
    again = [record.external_id for batch in collect(root, make_client) for record in batch.records]
    assert first == again
    assert sorted(path.relative_to(root) for path in root.rglob("*")) == files_before


def test_an_unreadable_message_is_a_warning_and_the_rest_is_read(
    tmp_path: Path, pages: Path, make_client: MakeClient
) -> None:
    root = build_maildir(tmp_path / "Maildir", pages)
    (root / "new" / "1764000000.M1P1.mailserver").write_bytes(b"")
    batches = collect(root, make_client)
    records = [record for batch in batches for record in batch.records]
    warnings = [warning for batch in batches for warning in batch.warnings]
    assert len(records) == SAVED - 1
    assert len(warnings) == 1
    assert "1764000000.M1P1.mailserver kon niet worden gelezen" in warnings[0]


def test_a_message_with_a_broken_header_does_not_block_the_folder(
    tmp_path: Path, pages: Path, make_client: MakeClient
) -> None:
    # One message the email package chokes on must not stop every later run of this source.
    root = build_maildir(tmp_path / "Maildir", pages)
    (root / "new" / "1764000002.M3P3.mailserver").write_bytes(
        b"From: joyce@example.nl\nMessage-ID: <\nSubject: iDEAL\n\nTwee keer afgeschreven."
    )
    records = [record for batch in collect(root, make_client) for record in batch.records]
    assert len(records) == SAVED
    assert "Twee keer afgeschreven." in {record.text for record in records}


def test_a_message_still_being_delivered_in_tmp_is_not_read(
    tmp_path: Path, pages: Path, make_client: MakeClient
) -> None:
    root = build_maildir(tmp_path / "Maildir", pages)
    (root / "tmp" / "1764000001.M2P2.mailserver").write_bytes(
        (pages / "mail" / "01-klacht-platte-tekst.eml").read_bytes()
    )
    records = [record for batch in collect(root, make_client) for record in batch.records]
    assert len(records) == SAVED - 1


def test_an_empty_maildir_gives_one_empty_batch(tmp_path: Path, make_client: MakeClient) -> None:
    root = tmp_path / "Maildir"
    mailbox.Maildir(root, create=True)
    assert [batch.records for batch in collect(root, make_client)] == [[]]


@pytest.mark.parametrize("layout", ["missing", "plain-folder", "file"])
def test_a_folder_that_is_not_a_maildir_is_source_unavailable(
    tmp_path: Path, make_client: MakeClient, layout: str
) -> None:
    path = tmp_path / "post"
    if layout == "plain-folder":
        path.mkdir()
        (path / "bericht.eml").write_text("From: a@example.nl\n\nHoi", encoding="utf-8")
    elif layout == "file":
        path.write_text("geen map", encoding="utf-8")
    with pytest.raises(SourceUnavailable) as caught:
        collect(path, make_client)
    assert "geen Maildir-map" in caught.value.explain()
    assert str(path) in caught.value.explain()


def test_the_settings_need_a_path_and_a_positive_batch_size() -> None:
    with pytest.raises(ValidationError):
        MaildirSettings()  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        MaildirSettings(path="/var/mail/service", batch_size=0)
