"""Noisy shares and apportioned counts for the demo figures. Every draw goes through the generator passed in, so
that one seed gives the same figures."""

from __future__ import annotations

import random
from collections import Counter

from forms.values import Value


def part(rng: random.Random, whole: int, share: float, spread: float = 0.08) -> int:
    """A share of a count with some noise, never more than the count."""
    return max(0, min(whole, round(whole * share * rng.uniform(1 - spread, 1 + spread))))


def number(n: int, estimate: bool = False) -> Value:
    return Value(number=n, estimate=estimate)


def apportion(rng: random.Random, n: int, weights: dict, spread: float = 0.06) -> Counter:
    """n split in proportion to slightly perturbed weights; the parts add up to n."""
    jittered = {key: w * rng.uniform(1 - spread, 1 + spread) for key, w in weights.items() if w > 0}
    total = sum(jittered.values())
    if not n or not total:
        return Counter()
    exact = {key: n * w / total for key, w in jittered.items()}
    result = Counter({key: int(x) for key, x in exact.items()})
    remainders = {key: exact[key] - result[key] for key in exact}
    # The leftover units go to cells drawn by their remainders: always giving them to the largest remainders
    # would favour the big cells of small groups (eight Ausländer children in a class 4) systematically.
    for _unit in range(n - sum(result.values())):
        key = rng.choices(list(remainders), list(remainders.values()))[0]
        result[key] += 1
        remainders[key] = 0
    return result

