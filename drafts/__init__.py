"""Pure drafting: a review's facts and the shop's policy in, a Dutch reply draft out."""

from drafts.compose import compose
from drafts.facts import Policy, ReplyDraft, ReviewFacts

__all__ = ["Policy", "ReplyDraft", "ReviewFacts", "compose"]
