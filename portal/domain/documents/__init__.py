"""Documents of an application: evidence packages (and, from the signing work, signatures)."""
