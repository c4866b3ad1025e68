"""The generic request pipeline: routing, auth, validation, responses, journal."""
