"""The roles an API key can hold, weakest first (see `access`). A module of its own so that the
CLI can name them in its help without loading the database layer."""

ROLES = ("screener", "reviewer", "admin")
