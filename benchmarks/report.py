"""Collects figures from the benchmarks and prints them as one table at the end of the run."""

from __future__ import annotations

from dataclasses import dataclass
import os
import platform
import statistics
import subprocess


@dataclass(frozen=True, slots=True)
class Figure:
    """One reported figure and the target it is judged against."""

    benchmark: str
    metric: str
    value: str
    target: str = ""
    verdict: str = ""


FIGURES: list[Figure] = []


def report(
    benchmark: str, metric: str, value: str, target: str = "", *, ok: bool | None = None
) -> None:
    """Record a figure (ok: whether it meets its target; None when there is no target)."""
    verdict = "" if ok is None else ("PASS" if ok else "MISS")
    FIGURES.append(Figure(benchmark, metric, value, target, verdict))


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: list[float]) -> float:
    """The median."""
    return statistics.median(values)


def machine() -> str:
    """CPU model and count, Python version (the numbers depend on them)."""
    model = platform.processor() or "unknown CPU"
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout  # noqa: S607
    except OSError:
        lscpu = ""
    for line in lscpu.splitlines():
        if line.startswith("Model name:"):
            model = line.split(":", 1)[1].strip()
    return f"{model}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def table() -> str:
    """The figures as a Markdown table."""
    rows = [("benchmark", "metric", "value", "target", "verdict")]
    rows += [(f.benchmark, f.metric, f.value, f.target, f.verdict) for f in FIGURES]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [
        "| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
