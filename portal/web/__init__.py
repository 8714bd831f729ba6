"""Web views by area: one module and template folder per area; the engine serves the five categories."""
