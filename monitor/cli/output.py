"""Terminal output: a Dutch argparse, and untrusted text made safe to print."""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_ARGPARSE_DUTCH = (
    (re.compile(r"the following arguments are required: (.*)"), r"verplicht ontbreekt: \1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"onbekend: \1"),
    (
        re.compile(r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)"),
        r"\1: onbekende keuze \2 (kies uit \3)",
    ),
    (re.compile(r"argument (\S+): invalid int value: (.*)"), r"\1: \2 is geen geheel getal"),
    (re.compile(r"argument (\S+): expected one argument"), r"\1: verwacht een waarde"),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"), r"\1 gaat niet samen met \2"),
)


def clean(text: str | None) -> str:
    """Untrusted text (reviews, names) made safe for a terminal: control characters and
    direction overrides are dropped, so a review cannot move the cursor or recolour the screen."""
    return CONTROL.sub("", text or "")


class DutchHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        return super().add_usage(usage, actions, groups, prefix="Gebruik: ")


class DutchParser(argparse.ArgumentParser):
    """argparse with Dutch headings, help and error messages."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", DutchHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        self.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")

    def error(self, message: str) -> NoReturn:
        for pattern, replacement in _ARGPARSE_DUTCH:
            if pattern.match(message):
                message = pattern.sub(replacement, message)
                break
        sys.stderr.write(f"{self.prog}: fout: {message}\nZie '{self.prog} --help'.\n")
        raise SystemExit(2)
