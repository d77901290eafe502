"""The limits a closure runs under, and the error that names the one it hit."""

from __future__ import annotations

import time
from dataclasses import dataclass

from kg.errors import ReasoningBudgetExceeded

# The settings (kg.settings) these budgets come from; error messages name them.
TIME_SETTING = "reason_timeout_s"
SIZE_SETTING = "reason_max_triples"


@dataclass(frozen=True)
class Budget:
    """At most ``seconds`` of reasoning and ``max_triples`` derived triples (noise included);
    None means no limit."""

    seconds: float | None = None
    max_triples: int | None = None

    def check(self, started: float, derived: int) -> None:
        """Raise ReasoningBudgetExceeded when either limit is passed."""
        if self.max_triples is not None and derived > self.max_triples:
            raise ReasoningBudgetExceeded(
                f"reasoning stopped: it derived more than {self.max_triples:,} triples "
                f"(setting {SIZE_SETTING})", SIZE_SETTING)
        if self.seconds is not None and time.perf_counter() - started > self.seconds:
            raise ReasoningBudgetExceeded(
                f"reasoning stopped: it ran over its time budget of {self.seconds:g} s "
                f"(setting {TIME_SETTING})", TIME_SETTING)


UNLIMITED = Budget()
