"""Progress bars for long stages, shown on a terminal only (never in logs, cron mail or tests)."""

from __future__ import annotations

import sys
from collections.abc import Callable

from tqdm import tqdm


def progress(description: str, total: int | Callable[[], int] = 0) -> tqdm:
    """A bar on stderr when it is a terminal; a silent counter otherwise. ``total`` may be a
    function, called only when the bar is shown (counting can cost a table scan)."""
    shown = sys.stderr.isatty()
    if callable(total):
        total = total() if shown else 0
    return tqdm(
        total=total or None,
        desc=description,
        unit="",
        leave=False,
        disable=not shown,
        file=sys.stderr,
    )
