"""Reviews from the Kiyoh publication API (and Klantenvertellen, same platform), by update time."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr

from scrapers.base import Batch, Collection, Collector, SourceSettings
from scrapers.errors import AuthError, DriftError, HttpStatusError, ParseError, short_url
from scrapers.fields import (
    AccountId,
    ApiBaseUrl,
    count,
    load_json,
    number,
    plain,
    when,
    yes_no,
)
from scrapers.http import Fetched
from scrapers.kiyoh_errors import ADVICE, api_error, error_from_body
from scrapers.records import RawReview, clean_text

logger = logging.getLogger(__name__)

API_PATH = "/v1/publication/review/external"
TOKEN_HEADER = "X-Publication-Api-Token"  # noqa: S105 - a header name
RATING_MIN, RATING_MAX = 1.0, 10.0

Role = Literal["title", "text", "recommend", "rating", "ignore"]
# What each question group holds; the names vary per account (unverified), so the settings can
# add or override groups. The answer itself sits in the answer's "rating" field.
DEFAULT_QUESTION_GROUPS: dict[str, Role] = {
    "DEFAULT_ONELINER": "title",
    "DEFAULT_OPINION": "text",
    "DEFAULT_RECOMMEND": "recommend",
    "DEFAULT_OVERALL": "rating",
}
# The shop's public reply: "comment" per the platform notes, the others seen in client code.
REPLY_KEYS = ("comment", "reviewComments", "response")
REPLY_TEXT_KEYS = ("comment", "response", "text", "message", "content")
REPLY_DATE_KEYS = ("updatedSince", "dateSince", "date", "updatedAt", "createdAt", "created")
TEXT_TYPES = {"TEXT", "TEXTAREA", "STRING", "OPEN", "FREETEXT"}
_YES = {"true", "ja", "yes", "j", "y", "1"}
_NO = {"false", "nee", "no", "n", "0"}


class KiyohSettings(SourceSettings):
    """A Kiyoh location and its publication token."""

    location_id: AccountId
    token: SecretStr = Field(min_length=1)
    tenant_id: int = Field(default=98, ge=1)
    base_url: ApiBaseUrl = "https://www.kiyoh.com"
    page_size: int = Field(default=100, ge=1, le=1000)
    question_groups: dict[str, Role] = Field(default_factory=dict)

    def groups(self) -> dict[str, Role]:
        """The default question groups with the configured ones over them."""
        own = {name.strip().upper(): role for name, role in self.question_groups.items()}
        return {**DEFAULT_QUESTION_GROUPS, **own}


class KlantenvertellenSettings(KiyohSettings):
    """The same API on Klantenvertellen's host and tenant."""

    tenant_id: int = Field(default=99, ge=1)
    base_url: ApiBaseUrl = "https://www.klantenvertellen.nl"


@dataclass(slots=True)
class KiyohPage:
    """One response: its reviews, its number of entries (skipped ones too), the newest update
    time (parsed, and as Kiyoh wrote it for the next ``updatedSince``), figures, warnings."""

    records: list[RawReview]
    count: int
    newest: tuple[datetime, str] | None = None
    stats: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def parse_page(text: str, url: str, **options: Any) -> KiyohPage:
    """A saved response text; see ``page_from_json`` for the options."""
    return page_from_json(load_json(text, url), url, **options)


def page_from_json(
    data: Any,
    url: str,
    *,
    question_groups: Mapping[str, str] | None = None,
    first_page: bool = True,
    filtered: bool = False,
    secrets: Sequence[str] = (),
) -> KiyohPage:
    """The reviews of one API response. ``filtered``: the request asked only for reviews updated
    since a time, so an empty list is normal. Raises AuthError or ParseError for an error body,
    DriftError when the response no longer holds what it announces (reviews on a first page of
    an unfiltered request, review ids, any content)."""
    where = short_url(url)
    groups = question_groups or DEFAULT_QUESTION_GROUPS
    if not isinstance(data, dict):
        raise ParseError(where, "het antwoord is geen JSON-object")
    if data.get("errorCode") is not None and not isinstance(data.get("reviews"), list):
        raise api_error(data, where, secrets)
    total = count(data.get("numberReviews"))
    stats: dict[str, Any] = {}
    if total is not None:
        stats["total"] = total
    average = number(data.get("averageRating"))
    if average is not None:
        stats["average"] = average
    reviews = data.get("reviews")
    if reviews is None:
        if total == 0:
            return KiyohPage(records=[], count=0, stats=stats)
        raise DriftError(where, "het antwoord bevat geen lijst 'reviews'")
    if not isinstance(reviews, list):
        raise DriftError(where, "'reviews' is geen lijst")
    if not reviews and total and first_page and not filtered:
        raise DriftError(where, f"Kiyoh meldt {total} reviews maar de lijst is leeg")
    page = KiyohPage(records=[], count=len(reviews), stats=stats)
    without_id = 0
    unmapped: set[str] = set()
    for item in reviews:
        external_id = _review_id(item.get("reviewId")) if isinstance(item, dict) else None
        if external_id is None:
            without_id += 1
            continue
        assert isinstance(item, dict)
        record, updated_raw = _review(item, external_id, groups, where, page.warnings, unmapped)
        page.records.append(record)
        stamp = record.updated_at or record.published_at
        if stamp is not None and updated_raw and (page.newest is None or stamp > page.newest[0]):
            page.newest = (stamp, updated_raw)
    if reviews and without_id == len(reviews):
        raise DriftError(where, "de reviews hebben geen 'reviewId' meer")
    if without_id:
        page.warnings.append(f"{where}: {without_id} review(s) zonder reviewId overgeslagen.")
    if page.records and all(not r.text and not r.title and r.rating is None for r in page.records):
        raise DriftError(where, "geen enkele review heeft nog tekst of een cijfer")
    if unmapped:
        names = ", ".join(sorted(unmapped))
        page.warnings.append(
            f"{where}: de vraaggroep(en) {names} staan niet in question_groups; hun antwoord is "
            "als reviewtekst gebruikt omdat er geen andere tekst was."
        )
    return page


def _review_id(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = clean_text(str(value)).strip()
    return text or None


def _review(
    item: dict[str, Any],
    external_id: str,
    groups: Mapping[str, str],
    where: str,
    warnings: list[str],
    unmapped: set[str],
) -> tuple[RawReview, str | None]:
    titles: list[str] = []
    texts: list[str] = []
    loose: list[tuple[str, str]] = []
    recommend: bool | None = None
    overall: float | None = None
    answers = item.get("reviewContent")
    for answer in answers if isinstance(answers, list) else []:
        if not isinstance(answer, dict):
            continue
        group = answer.get("questionGroup")
        group = group.strip().upper() if isinstance(group, str) else ""
        value = answer.get("rating")
        role = groups.get(group)
        if role == "title" and (title := plain(value)):
            titles.append(title)
        elif role == "text" and (text := plain(value)):
            texts.append(text)
        elif role == "recommend" and recommend is None:
            recommend = yes_no(value)
        elif role == "rating" and overall is None:
            overall = number(value)
        elif role is None and (text := _free_text(value, answer.get("questionType"))):
            loose.append((group or "(zonder naam)", text))
    if not texts and loose:  # an account's own group names: keep the text, say which groups
        texts = [text for _, text in loose]
        unmapped.update(group for group, _ in loose)
    rating = number(item.get("rating"))
    rating = overall if rating is None else rating
    if rating is not None and not RATING_MIN <= rating <= RATING_MAX:
        warnings.append(
            f"{where}: review {external_id} heeft cijfer {rating:g}, buiten de schaal 1-10; "
            "het cijfer is weggelaten."
        )
        rating = None
    title = titles[0] if titles else None
    updated_raw = item.get("updatedSince")
    updated = when(updated_raw)
    published_raw = item.get("dateSince")
    published = when(published_raw)
    reply_text, reply_at = _reply(item)
    language = item.get("reviewLanguage") or item.get("language")
    record = RawReview(
        external_id=external_id,
        text="\n\n".join(texts),
        author=plain(item.get("reviewAuthor")),
        title=title,
        rating=rating,
        rating_min=RATING_MIN,
        rating_max=RATING_MAX,
        language=_language(language),
        published_at=published,
        updated_at=updated,
        reply_text=reply_text,
        reply_at=reply_at,
        recommends=recommend,
    )
    raw = updated_raw if updated is not None else published_raw if published is not None else None
    return record, raw.strip() if isinstance(raw, str) else None


def _free_text(value: Any, question_type: Any) -> str | None:
    """The answer of an unknown question group when it is free text (not a score or yes/no)."""
    text = plain(value) if isinstance(value, str) else None
    if text is None:
        return None
    kind = question_type.strip().upper() if isinstance(question_type, str) else ""
    if kind in TEXT_TYPES:
        return text
    if kind or number(text) is not None or yes_no(text) is not None:
        return None
    return text


def _language(value: Any) -> str | None:
    text = plain(value) if isinstance(value, str) else None
    return text.lower() if text and len(text) <= 16 else None


def _reply(item: dict[str, Any]) -> tuple[str | None, datetime | None]:
    for key in REPLY_KEYS:
        value = item.get(key)
        entries = list(reversed(value)) if isinstance(value, list) else [value]
        for entry in entries:  # a list of replies: the latest (last) one
            if isinstance(entry, dict):
                text = next((t for k in REPLY_TEXT_KEYS if (t := plain(entry.get(k)))), None)
                stamp = next((s for k in REPLY_DATE_KEYS if (s := when(entry.get(k)))), None)
                if text:
                    return text, stamp
            elif isinstance(entry, str) and (text := plain(entry)):
                return text, None
    return None, None


def _usable_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    """A saved cursor as (time, text), or None when there is none or it cannot be read."""
    stamp = when(cursor)
    if cursor and stamp is None:
        logger.warning("Ignoring an unreadable Kiyoh cursor; fetching all reviews")
    return (stamp, cursor.strip()) if stamp is not None and cursor else None


class KiyohCollector(Collector):
    """Pages through a location's reviews, most recently updated first, and after a complete
    sweep saves the newest update time as the cursor, so the next run asks only for reviews
    created or changed since (``updatedSince``): new reviews, edited texts and new replies."""

    name = "kiyoh"
    Settings = KiyohSettings
    settings: KiyohSettings
    lists_everything = True

    @classmethod
    def hosts(cls, settings: SourceSettings) -> set[str]:
        assert isinstance(settings, KiyohSettings)
        return {urlsplit(settings.base_url).hostname or ""}

    @property
    def endpoint(self) -> str:
        return self.settings.base_url + API_PATH

    def _get(self, params: dict[str, str]) -> Fetched:
        token = self.settings.token.get_secret_value()
        headers = {TOKEN_HEADER: token, "Accept": "application/json"}
        try:
            return self.http.get(self.endpoint, params=params, headers=headers)
        except HttpStatusError as exc:
            where = short_url(self.endpoint)
            said = error_from_body(exc, where, (token,))
            if exc.status in (401, 403):
                detail = said.detail if said else "het token of de locatie wordt niet geaccepteerd"
                raise AuthError(where, f"HTTP {exc.status}: {detail}", advice=ADVICE) from None
            if isinstance(said, AuthError):
                raise said from None
            raise

    def collect(self, *, cursor: str | None, full: bool = False) -> Collection:
        # Incremental runs read the whole set Kiyoh returns for updatedSince, to its end: that
        # set is small (what changed since the last complete sweep), and reading it whole is
        # what lets the cursor move on safely. Stopping at a page of known reviews would leave
        # the older part of an interrupted sweep unread, behind a cursor that has passed it.
        settings = self.settings
        since = None if full else _usable_cursor(cursor)
        newest = since
        seen: set[str] = set()
        start = 0
        while True:
            params = {
                "locationId": settings.location_id,
                "tenantId": str(settings.tenant_id),
                "limit": str(settings.page_size),
                "orderBy": "UPDATE_DATE",
                "sortOrder": "DESC",
            }
            if since is not None:
                params["updatedSince"] = since[1]
            if start:
                params["start"] = str(start)  # unverified: not sent on the first page
            fetched = self._get(params)
            page = page_from_json(
                fetched.json(),
                self.endpoint,
                question_groups=settings.groups(),
                first_page=start == 0,
                filtered=since is not None,
                secrets=(settings.token.get_secret_value(),),
            )
            fresh = [record for record in page.records if record.external_id not in seen]
            if page.records and not fresh:
                raise DriftError(
                    short_url(self.endpoint),
                    f"vanaf review {start} kwamen dezelfde reviews terug; de API lijkt 'start' "
                    "te negeren, dus niet alles is gelezen (een grotere page_size helpt)",
                )
            seen.update(record.external_id for record in fresh)
            if page.newest is not None and (newest is None or page.newest[0] > newest[0]):
                newest = page.newest
            last = page.count < settings.page_size
            yield Batch(
                records=fresh,
                cursor=newest[1] if last and newest is not None else None,
                warnings=page.warnings,
                stats=page.stats if start == 0 else {},
            )
            if last:
                return
            start += page.count


class KlantenvertellenCollector(KiyohCollector):
    """Kiyoh's API on Klantenvertellen (tenant 99), with that platform's defaults."""

    name = "klantenvertellen"
    Settings = KlantenvertellenSettings
