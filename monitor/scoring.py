"""The scorer the configuration asks for, with its paths resolved against the configuration."""

from __future__ import annotations

from monitor.config_schema import Settings
from sentiment import Scorer, load_scorer


def scorer_for(settings: Settings) -> Scorer:
    options = settings.sentiment
    return load_scorer(
        options.model,
        data_dir=settings.data_dir,
        adapted=options.adapted_path(settings.base_dir),
        labels=dict(options.labels) or None,
        quantize=options.quantize,
        batch_size=options.batch_size,
        languages=options.languages,
        cache_dir=options.cache_path(settings.base_dir),
    )
