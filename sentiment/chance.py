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


def unlikely(
    count: int,
    total: int,
    *,
    expected: float,
    share: float,
    max_chance: float,
    max_share_chance: float,
    tries: float = 1.0,
) -> bool:
    """Whether ``count`` of ``total`` is unlikely both at the usual rate (``expected`` that many;
    Poisson, at most ``max_chance``) and at the usual ``share`` (binomial, at most
    ``max_share_chance``), each chance counted ``tries`` times for the stretches looked at."""
    return (
        poisson_tail(count, expected) * tries <= max_chance
        and binomial_tail(count, total, share) * tries <= max_share_chance
    )


def fisher(*chances: float) -> float:
    """Fisher's method: the chance of independent tests' results together being this extreme."""
    statistic = -sum(math.log(max(c, 1e-300)) for c in chances)  # half of -2 sum(ln p)
    # The upper tail of chi-squared with 2k degrees of freedom at 2*statistic, in closed form.
    term, total = 1.0, 1.0
    for k in range(1, len(chances)):
        term *= statistic / k
        total += term
    return min(1.0, math.exp(-statistic) * total)


def rate_chance(count: int, earlier: int, share_of_time: float) -> float:
    """How unlikely ``count`` events in a window are, at the rate of ``earlier`` events over the
    rest of the time (the window being ``share_of_time`` of all of it): the conditional binomial
    test for two Poisson rates, which allows for the earlier rate being an estimate too."""
    return binomial_tail(count, count + earlier, share_of_time)


def beta_binomial_tail(count: int, total: int, successes: float, failures: float) -> float:
    """P(X >= count) for ``total`` trials whose share is only known from earlier ``successes``
    and ``failures`` (a beta-binomial): like binomial_tail, allowing for a share estimated from
    few earlier reviews."""
    if count <= 0:
        return 1.0
    if count > total:
        return 0.0
    a, b = successes, failures
    base = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + math.lgamma(total + 1)
    terms = [
        base - math.lgamma(k + 1) - math.lgamma(total - k + 1)
        + math.lgamma(k + a) + math.lgamma(total - k + b) - math.lgamma(total + a + b)
        for k in range(count, total + 1)
    ]  # fmt: skip
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))
