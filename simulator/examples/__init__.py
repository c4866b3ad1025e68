"""The providers' documented examples as acceptance data (`specs/<key>/examples.yaml`).

- `model.py`: the data (an `ExampleSet` per provider: the document's era, how it writes credentials, and each
  request or error example with its documented answer and what may differ), loaded with strict key checks.
- `paths.py`: the small JSON-path language of the data (`$.data.items[*].id`).
- `compare.py`: a documented answer against the simulator's (status, envelope, keys, JSON types, values).
- `replay.py`: replays a provider's examples in order against a running simulator (any base URL, any transport).
- `coverage.py`: which examples a journal's requests matched (operation, fields sent, status), for the report.

The data format is described in docs/examples.md.
"""

from simulator.examples.model import Example, ExampleError, ExampleSet, load_all, load_set

__all__ = ["Example", "ExampleError", "ExampleSet", "load_all", "load_set"]
