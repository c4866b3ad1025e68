"""Request limits declared in behaviour.yaml, counted on the simulator clock (Laravel's `throttle` semantics).

```yaml
rate_limit: {requests: 60, per_seconds: 60, key: client}   # key: client | header:<name>
```
A client's window opens at its first request and lasts `per_seconds`; within it, `requests` calls are answered
and the next ones are refused (the provider's `rate_limited` error) until the window ends. Every answer carries
`X-RateLimit-Limit` and `X-RateLimit-Remaining`; a refusal adds `Retry-After` and `X-RateLimit-Reset`.
Counters live in memory and are cleared by `Sim.reset`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from simulator.behaviour.config import RateLimitDecl

MAX_KEYS = 10_000  # counters kept before the ended windows are dropped


@dataclass
class Decision:
    allowed: bool
    headers: dict[str, str]


@dataclass
class _Window:
    ends_at: float
    hits: int = 0


@dataclass
class RateLimiter:
    rule: RateLimitDecl
    _windows: dict[str, _Window] = field(default_factory=dict)

    def key_for(self, client: str, headers: dict[str, str]) -> str:
        """Who is counted: the client address, or the value of one request header (names lower-case)."""
        if self.rule.key.startswith("header:"):
            return "h:" + headers.get(self.rule.key[7:].lower(), "")
        return "c:" + client

    def hit(self, key: str, now: float) -> Decision:
        """Count one request of `key` at `now`; refused when the window's allowance is spent."""
        window = self._windows.get(key)
        if window is None or window.ends_at <= now:
            if window is None and len(self._windows) >= MAX_KEYS:  # many clients (or header values): forget
                self._windows = {k: w for k, w in self._windows.items() if w.ends_at > now}  # ended windows
            window = self._windows[key] = _Window(ends_at=now + self.rule.per_seconds)
        limit = str(self.rule.requests)
        if window.hits >= self.rule.requests:
            wait = max(1, math.ceil(window.ends_at - now))
            return Decision(False, {"X-RateLimit-Limit": limit, "X-RateLimit-Remaining": "0",
                                    "Retry-After": str(wait), "X-RateLimit-Reset": str(math.ceil(window.ends_at))})
        window.hits += 1
        return Decision(True, {"X-RateLimit-Limit": limit,
                               "X-RateLimit-Remaining": str(self.rule.requests - window.hits)})

    def reset(self) -> None:
        self._windows.clear()
