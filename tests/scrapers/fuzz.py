"""What the property tests of every parser share: the Hypothesis settings, saved pages with random
damage, JSON values for known fields, and the check that a parsed record can be stored."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from scrapers.records import RawReview

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def damaged(draw: st.DrawFn, sources: Sequence[Any]) -> Any:
    """One saved page (str or bytes) with a few random cuts, insertions, splices or truncation:
    what drift and broken servers give."""
    page = draw(st.sampled_from(sources))
    junk = st.binary(max_size=40) if isinstance(page, bytes) else st.text(max_size=40)
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(page)))
        end = draw(st.integers(start, min(len(page), start + 200)))
        kind = draw(st.sampled_from(["cut", "insert", "replace", "truncate", "splice"]))
        if kind == "cut":
            page = page[:start] + page[end:]
        elif kind == "insert":
            page = page[:start] + draw(junk) + page[start:]
        elif kind == "replace":
            page = page[:start] + draw(junk) + page[end:]
        elif kind == "truncate":
            page = page[:start]
        else:
            page = page[:start] + page[start:end] * 2 + page[end:]
    return page


def json_values(samples: Sequence[str], *, nested: bool = True) -> st.SearchStrategy[Any]:
    """Any JSON value, with ``samples`` (strings a source's fields really hold) among the
    scalars; nested lists and objects, or (quicker to generate) one level deep."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=True, allow_infinity=True)
        | st.text(max_size=30)
        | st.sampled_from(list(samples))
    )
    if not nested:
        return (
            scalars
            | st.lists(scalars, max_size=3)
            | st.dictionaries(st.text(max_size=6), scalars, max_size=3)
        )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=6,
    )


def storable_texts(*values: str | None) -> None:
    """Each text can be stored: valid UTF-8 without NUL."""
    for value in values:
        if value is not None:
            value.encode("utf-8")
            assert "\x00" not in value


def storable(record: RawReview) -> None:
    """What a parser returns can be stored: every text is valid UTF-8 without NUL."""
    storable_texts(record.external_id, record.text, record.author, record.title, record.contact)
