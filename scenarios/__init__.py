"""The built-in scenario library (one folder per provider key), shipped as package data `simulator._scenarios`."""
