"""Errors the store raises for conditions callers must handle."""


class StoreError(Exception):
    """Base class."""


class NotFound(StoreError):
    """The row does not exist."""


class StaleVersion(StoreError):
    """The row changed since the caller read it (optimistic concurrency)."""


class AlreadyClaimed(StoreError):
    """Another officer claimed the item first."""

    def __init__(self, claimed_by_id: int | None) -> None:
        super().__init__("already claimed")
        self.claimed_by_id = claimed_by_id
