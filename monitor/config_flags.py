"""The [flags] settings: the thresholds of the pattern flags, read into the pure functions' own."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from sentiment.bursts import BurstSettings
from sentiment.copies import CopySettings
from sentiment.customers import CustomerSettings
from sentiment.patterns import PatternSettings, PolarizationSettings


class FlagSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shift_days: int = Field(ge=1)
    window_days: int = Field(ge=1)
    baseline_days: int = Field(ge=1)
    min_reviews: int = Field(ge=2)
    extreme_share: float = Field(gt=0, le=1)
    min_side_share: float = Field(gt=0, le=0.5)
    min_increase: float = Field(ge=0, le=1)
    max_chance: float = Field(default=1e-3, gt=0, le=0.5)
    prior_low_share: float = Field(default=0.2, gt=0, lt=1)
    mismatch_gap: float = Field(gt=0, le=2)
    burst_hours: int = Field(default=48, ge=2, le=24 * 14)
    burst_short_hours: int = Field(default=24, ge=1, le=24 * 14)
    burst_min_reviews: int = Field(default=6, ge=2)
    burst_max_chance: float = Field(default=1e-4, gt=0, le=0.5)
    burst_max_share_chance: float = Field(default=1e-2, gt=0, le=1)
    operational_share: float = Field(default=0.5, gt=0, le=1)
    copies_min_words: int = Field(default=8, ge=3)
    copies_similarity: float = Field(default=0.7, gt=0, le=1)
    copies_days: int = Field(default=90, ge=1)
    accounts_hours: int = Field(default=72, ge=1)
    accounts_min_reviews: int = Field(default=6, ge=2)
    accounts_max_chance: float = Field(default=1e-4, gt=0, le=0.5)
    accounts_max_share_chance: float = Field(default=3e-3, gt=0, le=1)
    repeat_complaints: int = Field(default=3, ge=2)
    repeat_days: int = Field(default=30, ge=1)

    def patterns(self, *, promise_hours: int) -> PatternSettings:
        """The settings as the pure flag functions take them."""
        return PatternSettings(
            polarization=PolarizationSettings(
                shift_days=self.shift_days, window_days=self.window_days,
                baseline_days=self.baseline_days, min_reviews=self.min_reviews,
                extreme_share=self.extreme_share, min_side_share=self.min_side_share,
                min_increase=self.min_increase, max_chance=self.max_chance,
                prior_low_share=self.prior_low_share,
            ),
            burst=BurstSettings(
                window_hours=self.burst_hours,
                short_hours=min(self.burst_short_hours, self.burst_hours),
                min_reviews=self.burst_min_reviews,
                max_chance=self.burst_max_chance, max_share_chance=self.burst_max_share_chance,
                operational_share=self.operational_share,
            ),
            copies=CopySettings(min_words=self.copies_min_words, similarity=self.copies_similarity),
            customers=CustomerSettings(
                window_days=self.repeat_days, baseline_days=self.baseline_days,
                accounts_hours=self.accounts_hours, min_singles=self.accounts_min_reviews,
                max_chance=self.accounts_max_chance,
                max_share_chance=self.accounts_max_share_chance,
                repeat_complaints=self.repeat_complaints, promise_hours=promise_hours,
            ),
            copies_days=self.copies_days,
        )  # fmt: skip
