"""The explicit list of reply posters, by the source type the configuration uses."""

from __future__ import annotations

from scrapers.google_reply import GoogleReplyPoster
from scrapers.kiyoh_reply import KiyohReplyPoster, KlantenvertellenReplyPoster
from scrapers.replying import ReplyPoster
from scrapers.trustpilot_reply import TrustpilotReplyPoster

POSTERS: dict[str, type[ReplyPoster]] = {
    poster.name: poster
    for poster in (
        TrustpilotReplyPoster,
        KiyohReplyPoster,
        KlantenvertellenReplyPoster,
        GoogleReplyPoster,
    )
}
