"""Measure how many documented examples the simulator reproduces (issue 14's table), per provider.

Replays every provider's specs/<key>/examples.yaml in process, three times:
- as written, the simulator's clock at today's date (only the credentials replaced);
- as written, the clock at the document's era (`era` of the data, as `--start-time`);
- with the ids the simulator handed out replaced (the acceptance mode of tests/examples), at the era.
Prints a Markdown table: request examples (documented success answers) passing in each run, error examples
byte-equal, documented webhook bodies delivered to a real receiver in the documented shape, request-only examples
reaching their operation, and the known failures by reason.
Usage: python scripts/examples_table.py [provider ...] [--details]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter

from simulator.examples import ExampleSet, load_all
from simulator.examples.replay import Outcome
from simulator.examples.run import replay_in_process
from simulator.settings import Settings


async def replay(examples: ExampleSet, mode: str, start: float) -> dict[str, Outcome]:
    return await replay_in_process(examples, mode, start)


def share(outcomes: dict[str, Outcome], ids: list[str]) -> str:
    return f"{sum(outcomes[i].ok for i in ids)}/{len(ids)}" if ids else "-"


def reason_kind(reason: str) -> str:
    if reason.startswith("depends on"):
        return "depends on a failing example"
    if reason.startswith("not in issue 14"):
        return "not in issue 14"
    return "issue 14"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("providers", nargs="*")
    ap.add_argument("--details", action="store_true", help="list each failing example of the acceptance run")
    args = ap.parse_args()
    rows = []
    for examples in load_all(Settings().specs_dir, args.providers or None):
        today = asyncio.run(replay(examples, "as_written", float(int(time.time()))))
        written = asyncio.run(replay(examples, "as_written", examples.start_time))
        replaced = asyncio.run(replay(examples, "replaced", examples.start_time))
        requests = [e.id for e in examples.examples if e.kind == "request"]
        seed_requests = [e.id for e in examples.examples if e.kind == "request" and e.source == "seed"]
        errors = [e.id for e in examples.examples if e.kind == "error"]
        only = [e.id for e in examples.examples if e.kind == "request_only"]
        hooks = [e.id for e in examples.examples if e.kind == "webhook"]
        known = Counter(reason_kind(e.known_failure) for e in examples.examples if e.known_failure)
        rows.append((examples.provider, share(today, requests), share(written, requests), share(replaced, requests),
                     share(replaced, seed_requests), share(replaced, errors), share(replaced, hooks),
                     share(replaced, only),
                     ", ".join(f"{n} {k}" for k, n in sorted(known.items())) or "none"))
        if args.details:
            for o in replaced.values():
                if not o.ok:
                    print(("known  " if o.example.known_failure else "FAIL   ") + o.report())
    print("| provider | request examples as written (today's clock) | as written (clock at the era) | ids replaced "
          "(era; acceptance) | of which in the seed's own requests | error examples byte-equal | webhook bodies "
          "| request-only examples | known failures |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
