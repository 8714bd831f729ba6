"""The benchmark: the portal under gunicorn against its own floor (README "Benchmark")."""
