"""Logs never show a configured secret, in messages, arguments or tracebacks."""

from __future__ import annotations

import logging

import pytest

from monitor.logs import RedactingFilter, make_redactor, setup_logging


def test_the_redactor_masks_every_secret_longest_first() -> None:
    redact = make_redactor(["geheim", "supergeheim", ""])
    assert redact("token=supergeheim en geheim") == "token=*** en ***"
    assert make_redactor([])("niets te verbergen") == "niets te verbergen"


def test_logged_messages_arguments_and_tracebacks_are_masked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    setup_logging(level=logging.INFO, secrets=["s3cr3t-token"])
    logger = logging.getLogger("reviewwacht.test")
    logger.info("fetching with %s", "https://api.example/?key=s3cr3t-token")
    try:
        raise ValueError("bad token s3cr3t-token")
    except ValueError:
        logger.exception("failed")
    err = capsys.readouterr().err
    assert "s3cr3t-token" not in err
    assert "fetching with https://api.example/?key=***" in err
    assert "ValueError: bad token ***" in err  # the traceback is still there, masked


def test_the_filter_leaves_records_usable() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "a %s b", ("pw123456",), None)
    assert RedactingFilter(make_redactor(["pw123456"])).filter(record)
    assert record.getMessage() == "a *** b"
