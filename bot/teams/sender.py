"""The background task that delivers duty alerts from the outbox to Teams.

Every ``poll_seconds`` it routes new alerts (``intake.alerts.Outbox.route``), claims
the deliveries that are due and posts each one as an Adaptive Card to its stored
conversation, recording the outcome: sent (once), or failed and retried with back-off.
The outbox is in the database, so alerts created by another process (``lado poll``)
are found too, and several service instances can run senders side by side.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.teams.activity import DeliveryError, Outbound
from bot.teams.cards import alert_message
from intake.alerts import Delivery, Outbox

log = logging.getLogger(__name__)

Post = Callable[[dict[str, Any], Outbound], Awaitable[str | None]]


class AlertSender:
    def __init__(self, outbox: Outbox, post: Post, *, base_url: str, poll_seconds: float) -> None:
        self.outbox = outbox
        self.post = post
        self.base_url = base_url
        self.poll_seconds = poll_seconds
        self.stop = asyncio.Event()
        self.wake = asyncio.Event()

    async def run_once(self) -> int:
        """Route and deliver what is due now; how many deliveries were attempted."""
        await self.outbox.route()
        deliveries = await self.outbox.claim()
        for delivery in deliveries:
            await self._deliver(delivery)
        return len(deliveries)

    async def run_forever(self) -> None:
        while not self.stop.is_set():
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database may be briefly away: try again later
                log.error("teams: alert sender pass failed (%s)", type(exc).__name__)
            self.wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_seconds):
                    stop = asyncio.ensure_future(self.stop.wait())
                    wake = asyncio.ensure_future(self.wake.wait())
                    try:
                        await asyncio.wait({stop, wake}, return_when=asyncio.FIRST_COMPLETED)
                    finally:
                        stop.cancel()
                        wake.cancel()

    async def _deliver(self, delivery: Delivery) -> None:
        message = alert_message(delivery.content, base_url=self.base_url)
        try:
            activity_id = await self.post(delivery.conversation, message)
        except DeliveryError as exc:
            await self.outbox.failed(
                delivery, error=exc.code, permanent=exc.permanent, gone=exc.gone
            )
            return
        except Exception as exc:  # anything else: record it and retry later
            await self.outbox.failed(
                delivery, error=type(exc).__name__, permanent=False, gone=False
            )
            return
        await self.outbox.sent(delivery, activity_id=activity_id)
