"""Flask-WTF forms: one class per static screen."""
