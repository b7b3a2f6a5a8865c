"""Session history and the safety acknowledgement, persisted so restarts cannot reset them.

The cooldown and the daily cap are computed from this history, so it is written when a session
starts (not only when it ends): a restart in the middle of a session still counts it.

History is kept by time, not by count: every session that ran in the last `RETENTION` stays,
however many arms nobody confirmed, refusals or failed starts came after it (those are kept
only as the last `MAX_UNRAN_RECORDS`, for support questions). So the daily cap and the cooldown
always see every session that ran.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final, NotRequired, TypedDict

from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN

if TYPE_CHECKING:
    from datetime import datetime

    from homeassistant.core import HomeAssistant

STORAGE_VERSION: Final = 1
# Sessions that ran are kept this long: far more than the longest window a rule looks at (the
# daily cap's calendar day, the 12 h longest cooldown), and a week of support questions.
RETENTION: Final = timedelta(days=7)
# Records of sessions that never ran (arms nobody confirmed): the last few only. They can never
# push out a session that ran.
MAX_UNRAN_RECORDS: Final = 20

OUTCOME_RUNNING: Final = "running"
# A session that was running when Home Assistant stopped: it ended at some unknown time, so the
# cooldown counts from the restart.
OUTCOME_INTERRUPTED: Final = "interrupted"


class _RecordData(TypedDict):
    routine: str
    source: str
    started: str
    ended: str | None
    outcome: str
    reason: str | None
    ran: bool


class _StoredData(TypedDict):
    sessions: list[_RecordData]
    acknowledged_at: str | None
    acknowledged_limits: dict[str, Any] | None
    # Totals for the long-term statistics (missing in files written before they existed).
    sessions_total: NotRequired[int]
    therapy_time_total_s: NotRequired[int]


@dataclass(slots=True)
class SessionRecord:
    """One session that reached the mask."""

    routine: str
    source: str
    started: datetime
    ended: datetime | None = None
    outcome: str = OUTCOME_RUNNING
    reason: str | None = None
    # False while armed: an arm nobody confirmed is neither a session today nor a cooldown.
    ran: bool = False

    def as_dict(self) -> _RecordData:
        """JSON form."""
        return {
            "routine": self.routine,
            "source": self.source,
            "started": self.started.isoformat(),
            "ended": None if self.ended is None else self.ended.isoformat(),
            "outcome": self.outcome,
            "reason": self.reason,
            "ran": self.ran,
        }

    @classmethod
    def from_dict(cls, data: _RecordData) -> SessionRecord:
        """Parse the JSON form."""
        ended = data["ended"]
        return cls(
            routine=data["routine"],
            source=data["source"],
            started=dt_util.parse_datetime(data["started"], raise_on_error=True),
            ended=None if ended is None else dt_util.parse_datetime(ended, raise_on_error=True),
            outcome=data["outcome"],
            reason=data["reason"],
            ran=data["ran"],
        )


class SessionHistory:
    """Sessions of one mask and its acknowledgement, backed by a Home Assistant Store."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Bind to the entry's storage file; call async_load before use."""
        self._store: Store[_StoredData] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}.history"
        )
        self.sessions: list[SessionRecord] = []
        self.acknowledged_at: datetime | None = None
        self.acknowledged_limits: dict[str, Any] | None = None
        # Every session that ran, and their running time, since the mask was added: kept apart
        # from the records, which are trimmed.
        self.sessions_total = 0
        self.therapy_time_total_s = 0

    async def async_load(self) -> None:
        """Read the history; a session left running by a restart is closed as interrupted."""
        data = await self._store.async_load()
        if data is None:
            return
        self.sessions = [SessionRecord.from_dict(record) for record in data["sessions"]]
        self.acknowledged_at = (
            None
            if data["acknowledged_at"] is None
            else dt_util.parse_datetime(data["acknowledged_at"], raise_on_error=True)
        )
        self.acknowledged_limits = data["acknowledged_limits"]
        self.sessions_total = data.get(
            "sessions_total", sum(1 for record in self.sessions if record.ran)
        )
        self.therapy_time_total_s = data.get("therapy_time_total_s", 0)
        if (current := self.current) is not None:
            current.ended = dt_util.utcnow()
            current.outcome = OUTCOME_INTERRUPTED
            await self.async_save()

    async def async_save(self) -> None:
        """Write the history now (sessions are rare; every change matters)."""
        self._prune(dt_util.utcnow())
        await self._store.async_save(
            {
                "sessions": [record.as_dict() for record in self.sessions],
                "acknowledged_at": (
                    None if self.acknowledged_at is None else self.acknowledged_at.isoformat()
                ),
                "acknowledged_limits": self.acknowledged_limits,
                "sessions_total": self.sessions_total,
                "therapy_time_total_s": self.therapy_time_total_s,
            }
        )

    def _prune(self, now: datetime) -> None:
        """Drop what no rule needs: ran sessions older than RETENTION, all but the last unran."""
        cutoff = now - RETENTION
        unran = [record for record in self.sessions if not record.ran and record.ended is not None]
        dropped = {id(record) for record in unran[:-MAX_UNRAN_RECORDS]}
        self.sessions = [
            record
            for record in self.sessions
            if id(record) not in dropped
            and (record.ended is None or record.started >= cutoff or not record.ran)
        ]

    async def async_remove(self) -> None:
        """Delete the storage file (the config entry was removed)."""
        await self._store.async_remove()

    @property
    def current(self) -> SessionRecord | None:
        """The session that is running, if any."""
        if self.sessions and self.sessions[-1].outcome == OUTCOME_RUNNING:
            return self.sessions[-1]
        return None

    @property
    def last(self) -> SessionRecord | None:
        """The most recent session, running or not."""
        return self.sessions[-1] if self.sessions else None

    @property
    def last_session_end(self) -> datetime | None:
        """When the last session that ran ended (the cooldown counts from here)."""
        for record in reversed(self.sessions):
            if record.ran and record.ended is not None:
                return record.ended
        return None

    def ran_on(self, moment: datetime) -> list[SessionRecord]:
        """Sessions that ran (not only armed) on the local calendar day of `moment`."""
        day = dt_util.as_local(moment).date()
        return [
            record
            for record in self.sessions
            if record.ran and dt_util.as_local(record.started).date() == day
        ]

    def sessions_on(self, moment: datetime) -> int:
        """How many sessions ran on the local calendar day of `moment` (the daily cap's count)."""
        return len(self.ran_on(moment))
