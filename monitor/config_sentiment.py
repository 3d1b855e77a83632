"""The [sentiment] settings: which model scores, and where the shop's adapted model is kept."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sentiment.types import Label

OUR_LABELS = frozenset(("negative", "neutral", "positive"))


class SentimentSettings(BaseModel):
    """``model``: "builtin" (ships in data/model, or the shop's adapted one), "lexicon", or a
    transformers model directory or hub id already on this machine (nothing is downloaded)."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(default="builtin", min_length=1)
    labels: dict[str, Label] = Field(default_factory=dict)  # a model's label -> ours
    quantize: Literal["none", "int8", "onnx-int8"] = "int8"
    batch_size: int = Field(default=16, ge=1, le=1024)
    languages: list[str] = Field(default_factory=lambda: ["nl"])
    adapted_model: str = Field(default="model/ngram-shop.pt", min_length=1)
    model_cache: str = Field(default="model/cache", min_length=1)

    @field_validator("languages")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        codes = [code.strip().lower() for code in value]
        if not codes or any(len(code) != 2 or not code.isalpha() for code in codes):
            raise ValueError("een taalcode van twee letters per taal, zoals ['nl', 'en']")
        return codes

    def adapted_path(self, base_dir: Path) -> Path:
        return (base_dir / self.adapted_model).resolve()

    def cache_path(self, base_dir: Path) -> Path:
        return (base_dir / self.model_cache).resolve()
