"""Procedures as data: definitions, the catalogue, the runtime view, values and rules."""
