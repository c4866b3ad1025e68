"""Contract coverage and violations: live counters from a Sim (coverage.py) and the report built from a running
simulator's control API (model.py), written as JSON, JUnit XML (junit.py) or HTML (html.py)."""
