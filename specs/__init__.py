"""The built-in providers' specs (one folder per provider key), shipped as package data `simulator._specs`."""
