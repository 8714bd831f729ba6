"""Applications: filling stages, comments, and who sees which application."""
