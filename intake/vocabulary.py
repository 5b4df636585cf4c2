"""The shared vocabulary, as the layers above intake see it.

``dialogs`` never imports ``triage`` directly (it asks intake), so the essential
details, the outcome codes and their labels reach it through here.
"""

from __future__ import annotations

from triage.vocab import (
    ESSENTIAL_DETAILS,
    REQUIRED_DETAILS,
    SECTOR_LABELS,
    SUGGESTION_LABELS,
    THRESHOLD_SUGGESTIONS,
    Suggestion,
)

__all__ = [
    "ESSENTIAL_DETAILS",
    "REQUIRED_DETAILS",
    "SECTOR_LABELS",
    "SUGGESTION_LABELS",
    "THRESHOLD_SUGGESTIONS",
    "Suggestion",
]
