"""Benchmarks. Each ``bench/bench_*.py`` module is run in its own process by
``python -m bench`` and prints one JSON line per benchmark on stdout."""
