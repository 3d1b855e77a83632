"""The plain record every collector returns: one review or customer message, as shown."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Channel = Literal["review", "mail", "mention"]

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text a record can hold: a lone surrogate (a half emoji) becomes U+FFFD, NUL is dropped."""
    return _UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)


@dataclass(slots=True, frozen=True)
class RawReview:
    """One review (public), customer message (private mail) or brand mention (a feed item) as a
    source delivered it.

    Times are timezone-aware. ``rating`` keeps the source's own scale, given by ``rating_min``
    and ``rating_max`` (stars 1-5, Kiyoh 1-10). ``contact`` is a reply address for mail and is
    never shown in public; ``thread_key`` groups the messages of one conversation.
    """

    external_id: str
    text: str
    author: str | None = None
    title: str | None = None
    rating: float | None = None
    rating_min: float = 1.0
    rating_max: float = 5.0
    language: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    url: str | None = None
    reply_text: str | None = None
    reply_at: datetime | None = None
    channel: Channel = "review"
    contact: str | None = None
    thread_key: str | None = None
    recommends: bool | None = None  # "would recommend the shop", where the platform asks it
    author_reviews: int | None = None  # reviews the author's account has there, where it says

    @property
    def rating_norm(self) -> float | None:
        """The rating on a 0..1 scale (worst 0, best 1), or None without a rating."""
        if self.rating is None or self.rating_max <= self.rating_min:
            return None
        value = (self.rating - self.rating_min) / (self.rating_max - self.rating_min)
        return min(1.0, max(0.0, value))


def derived_id(key: str, *, length: int = 20) -> str:
    """A stable id for an item its source gives none (or one too long to store): "h:" and the
    start of the SHA-1 of what identifies it."""
    return "h:" + hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:length]  # noqa: S324 - an id
