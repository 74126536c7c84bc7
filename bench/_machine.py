"""What the benchmarks ran on, printed with every figure: these machines are noisy and differ."""

import os
import platform


def describe() -> str:
    memory = ""
    try:
        with open("/proc/meminfo") as fh:
            kib = int(fh.readline().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return f"{platform.machine()}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}"


def record(name: str, figure: float, unit: str, baseline_name: str, baseline: float, target: str,
           met: bool | None = None) -> None:
    """One line for BENCHMARKS.md, read by bench/run_all.py: the figure, what it was measured against in the same
    run, the ratio and the target. `met` is None when the target is not a simple ratio or bound."""
    import json

    print("BENCH " + json.dumps({"name": name, "figure": figure, "unit": unit, "baseline_name": baseline_name,
                                 "baseline": baseline, "ratio": figure / baseline if baseline else None,
                                 "target": target, "met": met}, ensure_ascii=False), flush=True)


def timed(fn, runs: int = 7) -> float:
    """The median wall time of `runs` calls: one slow call from a noisy neighbour does not move it."""
    import statistics
    import time

    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times)
