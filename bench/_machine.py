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
