"""The session lifecycle: the session this host owns and the events that tell its story.

A session this host started is an `OwnedSession`. Its events go out through `SessionEvents`,
which keeps one promise whatever ends the session (the mask, a stop, a fault, a lost link, an
unload) and in whatever order the radio delivers the news: a session that started emits
`started` first, then exactly one terminal event (completed, stopped or aborted). A session
whose start never succeeded emits neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import logging
from typing import TYPE_CHECKING

from .const import SOURCE_UI
from .mask_ble.const import StopReason

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from .history import SessionRecord
    from .safety import SessionPlan

_LOGGER = logging.getLogger(__name__)


class SessionEventType(StrEnum):
    """What happened to a session (the event entity's event types)."""

    STARTED = "started"
    COMPLETED = "completed"
    STOPPED = "stopped"
    ABORTED = "aborted"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class SessionEvent:
    """One session event; `reason` says why for stopped, aborted and refused.

    `message` is the full reason of a refusal in the server's language, with its numbers.
    """

    type: SessionEventType
    routine: str | None = None
    source: str = SOURCE_UI
    reason: str | None = None
    message: str | None = None


# How a session the mask ended is recorded: (event type, reason).
STOP_REASON_OUTCOME: dict[StopReason, tuple[SessionEventType, str]] = {
    StopReason.COMPLETED: (SessionEventType.COMPLETED, "completed"),
    StopReason.HOST_STOP: (SessionEventType.STOPPED, "stop"),
    StopReason.HOST_VENT: (SessionEventType.STOPPED, "vent"),
    StopReason.BUTTON: (SessionEventType.STOPPED, "button"),
    StopReason.DEADLINE: (SessionEventType.STOPPED, "deadline"),
    StopReason.FAULT: (SessionEventType.ABORTED, "fault"),
    StopReason.ARM_EXPIRED: (SessionEventType.ABORTED, "arm_expired"),
    StopReason.PAUSE_EXPIRED: (SessionEventType.ABORTED, "pause_expired"),
    StopReason.NONE: (SessionEventType.ABORTED, "unknown"),
}

# The mask ended the session because this host asked it to.
HOST_STOP_REASONS = frozenset({StopReason.HOST_STOP, StopReason.HOST_VENT})


@dataclass(slots=True)
class OwnedSession:
    """A session this host started (and supervises until it ends)."""

    plan: SessionPlan
    source: str
    record: SessionRecord
    # Set once a status shows the mask holds the session (statuses queued before are stale).
    confirmed: bool = False
    # Set once the session runs (armed sessions wait for the button).
    running: bool = False
    # How the session is recorded when the mask confirms the stop the host asked for.
    host_stop: tuple[SessionEventType, str] | None = None
    # When an armed session expires if nobody presses the mask's button.
    armed_until: datetime | None = None
    # When the mask began running it (therapy time counts from here).
    running_since: datetime | None = None
    # The story told so far: `started` sent; the terminal event, held back until then.
    started_sent: bool = False
    ended: SessionEvent | None = None


class SessionEvents:
    """Delivers session events to listeners, in the order the lifecycle promises."""

    def __init__(self) -> None:
        """No listeners yet."""
        self._listeners: list[Callable[[SessionEvent], None]] = []

    def subscribe(self, listener: Callable[[SessionEvent], None]) -> Callable[[], None]:
        """Call `listener` with every event; returns the unsubscribe callable."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def refused(
        self, routine: str | None, source: str, rule: str, message: str | None = None
    ) -> None:
        """A start was refused: no session, so no lifecycle."""
        self._emit(SessionEvent(SessionEventType.REFUSED, routine, source, rule, message))

    def started(self, session: OwnedSession) -> None:
        """The mask accepted the start; an end that raced ahead of it follows now."""
        if session.started_sent:
            return
        session.started_sent = True
        self._emit(SessionEvent(SessionEventType.STARTED, session.plan.routine_key, session.source))
        self._send_end(session)

    def ended(self, session: OwnedSession, event_type: SessionEventType, reason: str) -> None:
        """The session ended (the owner calls this once); told now, or right after `started`."""
        session.ended = SessionEvent(
            event_type,
            session.plan.routine_key,
            session.source,
            None if event_type is SessionEventType.COMPLETED else reason,
        )
        self._send_end(session)

    def _send_end(self, session: OwnedSession) -> None:
        if session.started_sent and session.ended is not None:
            self._emit(session.ended)

    def _emit(self, event: SessionEvent) -> None:
        _LOGGER.debug("session event %s", event)
        for listener in list(self._listeners):
            listener(event)
