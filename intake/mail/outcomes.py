"""What a mail pass did: each message's outcome, and the counts of a pass."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CREATED = "created"
THREADED = "threaded"
AUTOMATED = "automated"
QUARANTINED = "quarantined"
DUPLICATE = "duplicate"


@dataclass
class PassResult:
    fetched: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    acknowledged: int = 0
    suppressed: int = 0
    send_failures: int = 0
    locked_out: bool = False
    stopped: bool = False

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "fetched": self.fetched,
            **{k: self.outcomes.get(k, 0) for k in (CREATED, THREADED, AUTOMATED, QUARANTINED)},
            "duplicates": self.outcomes.get(DUPLICATE, 0),
            "acknowledged": self.acknowledged,
            "suppressed": self.suppressed,
            "send_failures": self.send_failures,
            "locked_out": self.locked_out,
            "stopped": self.stopped,
        }
