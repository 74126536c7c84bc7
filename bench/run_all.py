"""Runs every benchmark in bench/ and writes BENCHMARKS.md: each figure beside the baseline measured in the same
run, the ratio, the target, and the machine. `make bench` calls this."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._machine import describe  # noqa: E402
from common.numbers import format_number  # noqa: E402

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "BENCHMARKS.md"


def german(value: float) -> str:
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return format_number(value, digits)


def run(script: Path) -> tuple[list[dict], str]:
    began = time.perf_counter()
    # German texts whatever the machine's language: the scripts wait for messages they know.
    env = {**os.environ, "IMON_LANGUAGE": "de"}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - began
    print(done.stdout, end="")
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        raise SystemExit(f"{script.name} failed")
    records = [json.loads(line[6:]) for line in done.stdout.splitlines() if line.startswith("BENCH ")]
    return records, f"{script.name} ({seconds:.0f} s)"


def main() -> None:
    rows, scripts = [], []
    for script in sorted(HERE.glob("[!_]*.py")):
        if script.name == Path(__file__).name:
            continue
        print(f"== {script.name}", flush=True)
        records, label = run(script)
        rows += records
        scripts.append(label)
    lines = ["# Benchmarks", "",
             f"Written by `make bench` on {time.strftime('%Y-%m-%d %H:%M')}; machine: {describe()}.",
             "Each figure is measured against a baseline in the same run, because these machines are noisy; the ratio "
             "is figure / baseline.", "",
             "| Messung | Wert | Vergleich (gleicher Lauf) | Vergleichswert | Verhältnis | Ziel | erreicht |",
             "|---|---:|---|---:|---:|---|---|"]
    for r in rows:
        met = {True: "ja", False: "**nein**", None: "–"}[r["met"]]
        ratio = german(r["ratio"]) if r["ratio"] is not None else "–"
        lines.append(f"| {r['name']} | {german(r['figure'])} {r['unit']} | {r['baseline_name']} | "
                     f"{german(r['baseline'])} {r['unit']} | {ratio} | {r['target']} | {met} |")
    lines += ["", "Scripts: " + ", ".join(scripts) + ".", ""]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"written: {OUT}")


if __name__ == "__main__":
    main()
