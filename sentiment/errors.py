"""The one error of scoring: a model that cannot be loaded, with a message the owner can act on."""

from __future__ import annotations


class ModelLoadError(ValueError):
    """A sentiment model cannot be used: its file or directory is missing or damaged, it is no
    classification model, its labels do not map to sentiment, or a backend is missing. Raised on
    the first call (loading is lazy); whoever picked the model shows the text."""
