"""Every documented example of the providers' seed documents, replayed against the simulator (issue 14).

The data are `specs/<key>/examples.yaml` (format: docs/examples.md). Each provider's examples run once, in order,
against one simulator started at the document's era (`era`, as `--start-time`), in process over HTTP; documented
webhook bodies are checked at a real receiver (simulator.testing.webhook_receiver); each example is then one test
case. An example marked `known_failure` in the data is a strict xfail: when the simulator is
fixed it passes, the test fails, and the marker must be removed from the data.
"""

from __future__ import annotations

import asyncio

import pytest

from simulator.examples import ExampleSet, load_all
from simulator.examples.replay import Outcome
from simulator.examples.run import replay_in_process
from simulator.settings import Settings

SETS = {s.provider: s for s in load_all(Settings().specs_dir)}
_OUTCOMES: dict[str, dict[str, Outcome]] = {}


async def _replay(examples: ExampleSet) -> dict[str, Outcome]:
    """In process at the document's era, with a real webhook receiver for the documented webhook bodies."""
    return await replay_in_process(examples, mode="replaced")


def outcome(provider: str, example_id: str) -> Outcome:
    """The provider's examples are replayed once (they form a chain); each test reads its own result."""
    if provider not in _OUTCOMES:
        _OUTCOMES[provider] = asyncio.run(_replay(SETS[provider]))
    return _OUTCOMES[provider][example_id]


def _cases() -> list[object]:
    cases: list[object] = []
    for key, examples in SETS.items():
        for e in examples.examples:
            marks = [pytest.mark.xfail(strict=True, reason=e.known_failure)] if e.known_failure else []
            cases.append(pytest.param(key, e.id, id=f"{key}:{e.id}", marks=marks))
    return cases


def test_every_provider_has_examples() -> None:
    assert sorted(SETS) == ["clicpay", "ideagateway", "smartclick", "webpag", "widepay"]


@pytest.mark.parametrize(("provider", "example_id"), _cases())
def test_documented_example(provider: str, example_id: str) -> None:
    result = outcome(provider, example_id)
    assert result.ok, result.report()
