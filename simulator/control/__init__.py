"""The /_sim control API (its public shape is fixed in the project's control-api reference)."""
