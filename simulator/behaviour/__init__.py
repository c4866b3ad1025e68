"""What a provider declares in behaviour.yaml: the schema (schema.py), the line-aware check and build (load.py),
the typed declarations (config.py) and money (money.py)."""
