"""The plain record: the normalised rating, and text a record can hold."""

from __future__ import annotations

import pytest

from scrapers.records import RawReview, clean_text


@pytest.mark.parametrize(
    ("rating", "low", "high", "norm"),
    [
        (1, 1, 5, 0.0),
        (5, 1, 5, 1.0),
        (4, 1, 5, 0.75),
        (8.5, 1, 10, 7.5 / 9),
        (0, 0, 10, 0.0),
        (7, 0, 10, 0.7),
    ],
)
def test_rating_norm_maps_the_source_scale_onto_zero_to_one(
    rating: float, low: float, high: float, norm: float
) -> None:
    record = RawReview(external_id="r", text="", rating=rating, rating_min=low, rating_max=high)
    assert record.rating_norm == pytest.approx(norm)


def test_rating_norm_is_none_without_a_rating_or_without_a_usable_scale() -> None:
    assert RawReview(external_id="r", text="Prima").rating_norm is None
    flat = RawReview(external_id="r", text="", rating=3, rating_min=5, rating_max=5)
    assert flat.rating_norm is None


def test_rating_norm_stays_inside_zero_and_one_for_a_rating_off_the_scale() -> None:
    assert RawReview(external_id="r", text="", rating=7).rating_norm == 1.0
    assert RawReview(external_id="r", text="", rating=0).rating_norm == 0.0


def test_clean_text_replaces_half_emoji_and_drops_nul_but_keeps_real_text() -> None:
    assert clean_text("Top \ud83d") == "Top \ufffd"
    assert clean_text("a\x00b") == "ab"
    kept = "Blij mee 😍 — één café, Groeten!"
    assert clean_text(kept) == kept
    assert clean_text("Top \ud83d\x00").encode("utf-8")  # storable as UTF-8
