"""Pure drafting: a review's facts and the shop's policy in, a Dutch reply draft out; the tone
check every reply passes, drafted or edited by a person."""

from drafts.compose import compose, plan_for
from drafts.facts import Code, Point, Policy, ReplyDraft, ReviewFacts
from drafts.llm import LlmError, LlmSettings, LlmWriter
from drafts.tone import ToneResult, check_tone
from drafts.writer import Written, write_draft

__all__ = [
    "Code",
    "LlmError",
    "LlmSettings",
    "LlmWriter",
    "Point",
    "Policy",
    "ReplyDraft",
    "ReviewFacts",
    "ToneResult",
    "Written",
    "check_tone",
    "compose",
    "plan_for",
    "write_draft",
]
