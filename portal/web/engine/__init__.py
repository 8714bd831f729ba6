"""The shared engine behind the five category blueprints."""
