"""Run every benchmark and print the table: `scripts/bench` (= python -m benchmarks)."""

from __future__ import annotations

from pathlib import Path
import sys

import pytest

if __name__ == "__main__":
    here = Path(__file__).parent
    sys.exit(pytest.main([str(here), "-q", "-p", "no:randomly", "-o", "addopts=", *sys.argv[1:]]))
