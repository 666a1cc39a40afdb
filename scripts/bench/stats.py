"""Order statistics of samples in milliseconds."""

import math
import statistics


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def percentile(samples: list[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest sample at or above `fraction` of them."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def p99(samples: list[float]) -> float:
    return percentile(samples, 0.99)


def ratio(value: float, baseline: float) -> float:
    return round(value / baseline, 2) if baseline else math.nan
