"""Discount codes in the shop's format ("SORRY-{code}"): random, unambiguous characters."""

from __future__ import annotations

import re
import secrets

# No 0/O, 1/I/L: a customer types the code over from a phone screen.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PLACEHOLDER = "{code}"
CODE_LENGTH = 8
VALID_FORMAT = re.compile(r"^[A-Za-z0-9_-]{0,20}\{code\}[A-Za-z0-9_-]{0,20}$")


def valid_format(template: str) -> bool:
    """A format holds {code} once, with at most 20 plain characters before and after it."""
    return bool(VALID_FORMAT.match(template))


def new_code(template: str, *, length: int = CODE_LENGTH) -> str:
    """A fresh code: ``template`` with {code} replaced by ``length`` random characters (31^8 is
    about 850 billion: a clash is unlikely, and the store's unique key catches the rest)."""
    random_part = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return template.replace(PLACEHOLDER, random_part)
