"""Record, compare, replay: measure the simulator against the real provider.

- `provider-sim record` (proxy.py): a recording proxy in front of the real provider (and a webhook relay); each
  exchange is redacted (redact.py) and written as one JSON file of a cassette folder (cassette.py).
- `provider-sim diff` (replay.py): replays a cassette against a fresh in-process simulator, mapping credentials to
  its test accounts and handed-out ids to its own (ids.py), and lists the differences (jsondiff.py) per operation
  as text, JSON or JUnit (report.py).
- `provider-sim scenario-from` (scenario.py): a scenario file answering the recorded requests with the recorded
  answers.

What each provider means (where its credentials travel, which path parameters are ids, what an error answer looks
like) comes from its spec folder (facts.py), never from code that knows the provider.
"""
