"""Webhook chaos from scenarios (`webhooks:` of a rule, stored as the created record's `_chaos`).

duplicate: N        the delivery is sent N more times (same body, headers and event id)
out_of_order: true  held back until the next event of the same provider and account is sent, then sent after
                    it (at most `delay_seconds`, default 60 s of simulator time, when no later event comes)
delay_seconds: N    the first attempt happens N seconds (simulator clock) after the event
drop: true          never sent; journalled with state `dropped` (resend delivers it)
bad_signature: true the signature header carries a wrong value (providers that sign; no effect otherwise)
"""

from __future__ import annotations

from dataclasses import dataclass

OUT_OF_ORDER_MAX_HOLD = 60.0


@dataclass(frozen=True)
class Chaos:
    duplicate: int = 0
    out_of_order: bool = False
    delay_seconds: float = 0.0
    drop: bool = False
    bad_signature: bool = False

    @classmethod
    def from_data(cls, data: object) -> "Chaos":
        if not isinstance(data, dict) or not data:
            return cls()
        dup = data.get("duplicate", 0)
        return cls(duplicate=1 if dup is True else int(dup or 0), out_of_order=bool(data.get("out_of_order")),
                   delay_seconds=float(data.get("delay_seconds") or 0), drop=bool(data.get("drop")),
                   bad_signature=bool(data.get("bad_signature")))

    @property
    def hold_seconds(self) -> float:
        return self.delay_seconds or OUT_OF_ORDER_MAX_HOLD

    def labels(self) -> list[str]:
        out = []
        if self.duplicate:
            out.append("duplicate")
        if self.out_of_order:
            out.append("out_of_order")
        if self.delay_seconds and not self.out_of_order:
            out.append("delay")
        if self.drop:
            out.append("drop")
        if self.bad_signature:
            out.append("bad_signature")
        return out


def corrupt(value: str) -> str:
    """The same shape of signature (hex, base64, `t=..,v1=..`), but wrong."""
    tail = "deadbeef" if not value.endswith("deadbeef") else "badc0ffe"
    return value[:-len(tail)] + tail if len(value) > len(tail) else tail


def bad_signature_headers(headers: dict[str, str], header: str | None) -> dict[str, str] | None:
    """The headers with the signature header corrupted; None when there is no such header."""
    if not header:
        return None
    wanted = header.lower()
    for name, value in headers.items():
        if name.lower() == wanted:
            changed = dict(headers)
            changed[name] = corrupt(str(value))
            return changed
    return None
