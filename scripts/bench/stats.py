"""Order statistics of samples in milliseconds."""

import math
import statistics


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


def ratio(value: float, baseline: float) -> float:
    return round(value / baseline, 2) if baseline else math.nan
