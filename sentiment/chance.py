"""How unlikely a count is: Poisson and binomial upper tails, for the pattern flags' tests."""

from __future__ import annotations

import math


def poisson_tail(count: int, mean: float) -> float:
    """P(X >= count) for X ~ Poisson(mean): how unlikely this many is at the usual rate."""
    if count <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    term = math.exp(-mean)
    below = term
    for k in range(1, count):
        term *= mean / k
        below += term
    return max(0.0, 1.0 - below)


def binomial_tail(count: int, total: int, share: float) -> float:
    """P(X >= count) for X ~ Binomial(total, share): how unlikely this many of ``total`` is."""
    if count <= 0:
        return 1.0
    if share <= 0 or count > total:
        return 0.0
    if share >= 1:
        return 1.0
    log_p, log_q = math.log(share), math.log1p(-share)
    terms = [
        math.lgamma(total + 1) - math.lgamma(k + 1) - math.lgamma(total - k + 1)
        + k * log_p + (total - k) * log_q
        for k in range(count, total + 1)
    ]  # fmt: skip
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))
