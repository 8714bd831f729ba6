"""The benchmark: the portal under gunicorn against its own floor (README "Benchmark", bench/RESULTS.md)."""
