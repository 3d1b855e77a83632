"""The scorer the configuration asks for, with its paths resolved against the configuration."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from monitor.config_schema import Settings
from monitor.errors import ReviewwachtError
from sentiment import Scorer, load_scorer
from sentiment.errors import ModelLoadError
from sentiment.types import Sentiment


class ModelUnavailable(ReviewwachtError):
    """The configured sentiment model cannot be loaded; the message says which and why."""


class _Checked:
    """The scorer, with a model that cannot be loaded told as a problem the owner can fix."""

    def __init__(self, scorer: Scorer, model: str) -> None:
        self.scorer = scorer
        self.model = model

    def __call__(self, texts: Sequence[str]) -> list[Sentiment]:
        return self._checked(lambda: self.scorer(texts))

    def in_language(self, texts: Sequence[str], language: str) -> list[Sentiment]:
        """Texts known to be in ``language``, where the scorer can skip telling it again."""
        known = getattr(self.scorer, "in_language", None)
        if known is None:
            return self(texts)
        return self._checked(lambda: known(texts, language))

    def _checked(self, score: Callable[[], list[Sentiment]]) -> list[Sentiment]:
        try:
            return score()
        except ModelLoadError as exc:
            raise ModelUnavailable(
                f"Het sentimentmodel ({self.model}) kan niet geladen worden: {exc}. Controleer "
                "[sentiment] model in de configuratie; met model = 'builtin' werkt het altijd."
            ) from exc


def scorer_for(settings: Settings) -> Scorer:
    options = settings.sentiment
    scorer = load_scorer(
        options.model,
        data_dir=settings.data_dir,
        adapted=options.adapted_path(settings.base_dir),
        labels=dict(options.labels) or None,
        quantize=options.quantize,
        batch_size=options.batch_size,
        languages=options.languages,
        cache_dir=options.cache_path(settings.base_dir),
    )
    return _Checked(scorer, options.model)
