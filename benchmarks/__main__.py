"""Run every benchmark and print the table: `scripts/bench` (= python -m benchmarks)."""

from __future__ import annotations

from pathlib import Path
import sys

import pytest

if __name__ == "__main__":
    args = sys.argv[1:]
    # Without a benchmark file or folder among the arguments, run them all.
    paths = (
        []
        if any(Path(arg.split("::")[0]).exists() for arg in args)
        else [str(Path(__file__).parent)]
    )
    sys.exit(pytest.main([*paths, "-q", "-p", "no:randomly", "-p", "no:logging", *args]))
