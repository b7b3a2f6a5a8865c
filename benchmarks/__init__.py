"""Performance benchmarks of the integration against the virtual mask (run: scripts/bench)."""
