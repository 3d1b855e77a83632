"""Progress bars for long stages, shown on a terminal only (never in logs, cron mail or tests)."""

from __future__ import annotations

import sys

from tqdm import tqdm


def progress(total: int, description: str) -> tqdm:
    """A bar on stderr when it is a terminal; a silent counter otherwise."""
    return tqdm(
        total=total,
        desc=description,
        unit="",
        leave=False,
        disable=not sys.stderr.isatty(),
        file=sys.stderr,
    )
