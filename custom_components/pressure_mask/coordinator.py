"""The coordinator: one mask's connection, live state, sessions and host-side safety.

Data path: advertisement -> basic state; status notification -> safety supervision -> state ->
entities.

Where commands leave for the mask:
- START_SESSION only from `_async_start_plan`, after safety.check_session_start allowed it;
- STOP and VENT from `_async_request_stop` (people, services) and `_async_send` (the deadline,
  the arm expiry, the supervision), and STOP on unload and for a session nobody owns;
- reads and SET_LIMITS when a link is set up (`_async_link_ready`).

API used by the control platforms and services (keep these names):

- `async_start_session(...)`, `async_stop_session(...)`, `async_vent(...)`
- `acknowledged`, `async_set_acknowledged(on)`
- `routine_key` / `target_pressure_mmhg` / `session_duration_min` and their `async_set_*`
- `limits`, `status`, `history`, `cooldown_ends`, `sessions_today`, `last_session`
- `session_plan`, `armed_until`, `session_peak_mmhg`, `fault_reading`, `start_conditions()`
- `async_subscribe_session_events(callback) -> unsubscribe`
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta
from enum import StrEnum
import logging
from typing import TYPE_CHECKING, override

from bleak_retry_connector import close_stale_connections_by_address
from homeassistant.components import bluetooth, persistent_notification
from homeassistant.components.bluetooth import (
    BluetoothChange,
    BluetoothScanningMode,
    BluetoothServiceInfoBleak,
)
from homeassistant.components.bluetooth.active_update_coordinator import (
    ActiveBluetoothDataUpdateCoordinator,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_ADDRESS
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryNotReady,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.event import async_call_later, async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from .const import (
    CONF_IDENTITY,
    CONF_KEY,
    CONF_SLOT,
    DOMAIN,
    IDLE_DISCONNECT_S,
    ISSUE_ACKNOWLEDGEMENT_REQUIRED,
    ISSUE_LIMITS_MISMATCH,
    REFUSAL_NOTIFICATION_ID,
    SOURCE_UI,
)
from .faults import (
    FaultDetails,
    dismiss_fault_notification,
    report_fault,
    safety_fault_repair_open,
)
from .history import SessionHistory, SessionRecord
from .mask_ble.client import MaskClient
from .mask_ble.codec import (
    Advertisement,
    DeviceInfo,
    DeviceLimits,
    ProtocolError,
    Status,
    parse_advertisement,
)
from .mask_ble.const import VENT_SAFE_MMHG, FaultCode, Phase, StopReason, Zone
from .mask_ble.errors import (
    AuthenticationError,
    CommandRejected,
    KeyRejectedError,
    MaskConnectionError,
    MaskError,
)
from .mask_ble.routines import FACE_MMHG, Routine
from .mask_ble.secure import HostCredentials
from .messages import (
    async_reader_twelve_hour,
    exception_message,
    readable_placeholders,
    translate,
)
from .safety import (
    ARM_EXPIRY_S,
    STOP_CONFIRM_TIMEOUT_S,
    Decision,
    Limits,
    RefusalRule,
    SafetyContext,
    SessionPlan,
    SessionRequest,
    acknowledgement_expired,
    acknowledgement_expires_at,
    check_session_start,
    check_start_conditions,
    check_status,
    cooldown_ends_at,
    fault_revokes_acknowledgement,
    session_deadline,
)
from .session import (
    HOST_STOP_REASONS,
    STOP_REASON_OUTCOME,
    OwnedSession,
    SessionEvent,
    SessionEvents,
    SessionEventType,
)
from .start_notice import dismiss_start, notify_start

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Sequence

    from bleak.backends.device import BLEDevice

    from .mask_ble.routines import Step

_LOGGER = logging.getLogger(__name__)

type PressureMaskConfigEntry = ConfigEntry[PressureMaskCoordinator]


class StartRefusedError(ServiceValidationError):
    """The safety policy refused a start; nothing was sent to the mask."""

    def __init__(self, rule: RefusalRule, placeholders: dict[str, str], message: str) -> None:
        """Translated for the frontend; `message` is the same in the server's language."""
        super().__init__(
            translation_domain=DOMAIN,
            translation_key=rule.value,
            translation_placeholders=placeholders,
        )
        self.rule = rule
        self.message = message


# Host-side faults (the mask's own faults are FaultCode).
HOST_FAULT_OVER_PRESSURE = "host_over_pressure"
HOST_FAULT_STOP_UNCONFIRMED = "stop_unconfirmed"


class _Timer(StrEnum):
    """The coordinator's timers (at most one of each runs)."""

    IDLE = "idle"
    DEADLINE = "deadline"
    ARM_EXPIRY = "arm_expiry"
    STOP_CONFIRM = "stop_confirm"
    # The next moment a host-side state changes by itself (cooldown end, midnight, expiry).
    BOUNDARY = "boundary"


class PressureMaskCoordinator(ActiveBluetoothDataUpdateCoordinator[None]):
    """Connection, state, sessions and host-side safety of one mask."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: PressureMaskConfigEntry,
        ble_device: BLEDevice,
        credentials: HostCredentials,
    ) -> None:
        """Prepare the coordinator; nothing is sent until the mask is needed."""
        super().__init__(
            hass=hass,
            logger=_LOGGER,
            address=ble_device.address,
            mode=BluetoothScanningMode.PASSIVE,
            needs_poll_method=self._needs_poll,
            poll_method=self._async_poll_mask,
            connectable=True,
        )
        self.entry = entry
        self.title = entry.title
        self._ble_device = ble_device
        self.client = MaskClient(
            ble_device,
            credentials=credentials,
            ble_device_callback=lambda: self._ble_device,
            on_status=self._async_handle_status,
            on_disconnect=self._async_handle_link_lost,
        )
        self.limits = Limits.from_options(entry.options)
        self.history = SessionHistory(hass, entry.entry_id)
        self.advertisement: Advertisement | None = None
        self.rssi: int | None = None
        self.status: Status | None = None
        self.device_info: DeviceInfo | None = None
        self.host_fault: str | None = None
        # The first fault since the last repair, as it happened (None once repaired).
        self.fault_details: FaultDetails | None = None
        # The zone that last held pressure: a status sent after a fault ended the session names
        # no zone, yet the fault happened on this one.
        self._pressure_zone = Zone.NONE
        # The highest pressure of the current (or last) session.
        self.session_peak_mmhg: float | None = None
        self._boundary: datetime | None = None
        self.routine_key = "full_face_drainage"
        self.target_pressure_mmhg = min(FACE_MMHG, self.limits.face_max_mmhg)
        self.session_duration_min = float(self.limits.max_session_min)
        self._session: OwnedSession | None = None
        self._connect_lock = asyncio.Lock()
        self._events = SessionEvents()
        self._unavailable_logged = False
        self._timers: dict[_Timer, CALLBACK_TYPE] = {}
        self._vent_task: asyncio.Task[None] | None = None
        self._shut_down = False
        self._stopping_unowned = False
        self._auth_failed = False
        # The session ended for an unload: the mask must still be told to stop.
        self._stop_on_shutdown = False
        # The last mask fault seen (status or advertisement): a new safety fault revokes.
        self._mask_fault_seen = FaultCode.NONE
        # The limits changed since the mask last stored them (mirrored before the next start).
        self._limits_pending = True

    # --- Lifecycle -------------------------------------------------------------------------------

    async def async_setup(self) -> None:
        """Load history; revoke an acknowledgement given under other limits."""
        await self.history.async_load()
        await self._async_revoke_if_limits_changed()

    async def _async_revoke_if_limits_changed(self) -> None:
        if self.history.acknowledged_at is not None and (
            self.history.acknowledged_limits != self.limits.to_options()
        ):
            _LOGGER.info("%s: the limits changed, the acknowledgement is revoked", self.title)
            await self._async_revoke_acknowledgement()

    async def async_apply_limits(self, limits: Limits) -> None:
        """Apply the limits saved in the options, in place.

        No reload: the entities stay available, so saving leaves no "unavailable" entries and
        no replayed session event in the logbook. A session checked against the old limits is
        stopped; a target pressure or session duration the new limits no longer allow returns to
        its default (the options flow says so); an acknowledgement given under other limits is
        revoked. The mask stores the new limits now if the link is up and idle, otherwise before
        the next session starts (or when the next link opens).
        """
        if limits == self.limits:
            return
        self.limits = limits
        if self.target_pressure_mmhg > limits.face_max_mmhg:
            self.target_pressure_mmhg = min(FACE_MMHG, limits.face_max_mmhg)
        if self.session_duration_min > limits.max_session_min:
            self.session_duration_min = float(limits.max_session_min)
        self._limits_pending = True
        await self._async_revoke_if_limits_changed()
        if self._session is not None:
            self._session.host_stop = (SessionEventType.STOPPED, "limits_changed")
            self._async_expect_session_end()
            await self._async_send(self.client.stop)
        elif self.client.is_connected and self.client.authenticated:
            try:
                await self._async_mirror_limits()
            except MaskError as err:
                _LOGGER.warning("%s: could not store the new limits yet: %s", self.title, err)
        self.async_update_listeners()

    @callback
    @override
    def _async_stop(self) -> None:
        """Stop listening; a poll still running may not schedule another one."""
        self._debounced_poll.async_shutdown()
        super()._async_stop()

    @callback
    def async_end_session_for_unload(self) -> None:
        """The entry is about to unload: the owned session ends here, with its terminal event.

        Called before the entities go, so the event entity still hears it; async_shutdown then
        stops the session on the mask.
        """
        self.client.stop_heartbeats()
        if (session := self._session) is not None:
            self._stop_on_shutdown = True
            self._async_finish_session(session, SessionEventType.STOPPED, "unload")

    async def async_shutdown(self) -> None:
        """Stop an owned session, then close the link (the entry unloads)."""
        self.async_end_session_for_unload()
        async with self._connect_lock:
            # No connection may open after this (a poll or a command still in flight).
            self._shut_down = True
        for timer in list(self._timers):
            self._cancel_timer(timer)
        if self._stop_on_shutdown and self.client.is_connected:
            try:
                await self.client.stop()
            except MaskError as err:
                _LOGGER.warning("%s: could not stop the session on unload: %s", self.title, err)
        if self._vent_task is not None:
            self._vent_task.cancel()
        await self.client.disconnect()
        # Background saves may be cancelled with the entry: write the final state now.
        await self.history.async_save()

    def _cancel_timer(self, timer: _Timer) -> None:
        if (cancel := self._timers.pop(timer, None)) is not None:
            cancel()

    # --- Advertisements and availability ---------------------------------------------------------

    @callback
    @override
    def _async_handle_bluetooth_event(
        self, service_info: BluetoothServiceInfoBleak, change: BluetoothChange
    ) -> None:
        """Keep the BLEDevice fresh and read the basic state from every advertisement."""
        self._ble_device = service_info.device
        self.rssi = service_info.rssi
        try:
            advertisement = parse_advertisement(service_info.manufacturer_data)
        except ProtocolError as err:
            _LOGGER.debug("%s: ignoring malformed advertisement: %s", self.title, err)
        else:
            # Another protocol version's advertisement is not ours to read: no downgrade.
            if advertisement is not None and advertisement.supported:
                self.advertisement = advertisement
                if not self.client.is_connected:
                    self._async_follow_mask_fault(advertisement.fault, None)
        if self._unavailable_logged:
            _LOGGER.info("%s is back online", self.title)
            self._unavailable_logged = False
        super()._async_handle_bluetooth_event(service_info, change)

    @callback
    @override
    def _async_handle_unavailable(self, service_info: BluetoothServiceInfoBleak) -> None:
        """Log once that the mask is out of reach."""
        if not self._unavailable_logged:
            _LOGGER.info("%s is unavailable", self.title)
            self._unavailable_logged = True
        super()._async_handle_unavailable(service_info)

    @callback
    def _needs_poll(
        self, service_info: BluetoothServiceInfoBleak, _last_poll: float | None
    ) -> bool:
        """Connect once to read the device information, and to stop a session nobody owns."""
        if (
            self._auth_failed
            or self.client.is_connected
            or not bluetooth.async_ble_device_from_address(
                self.hass, service_info.address, connectable=True
            )
        ):
            return False
        if self.device_info is None:
            return True
        return bool(
            self.advertisement is not None
            and self.advertisement.session_active
            and self._session is None
        )

    async def _async_poll_mask(self, _service_info: BluetoothServiceInfoBleak) -> None:
        """Connect and authenticate; the link set-up does the rest."""
        await self._async_ensure_connected()

    @override
    async def _async_poll(self) -> None:
        """Poll, logging a failure once and the recovery once."""
        try:
            await self._async_poll_mask(self._last_service_info)  # type: ignore[arg-type]
        except KeyRejectedError:
            _LOGGER.warning("%s rejected the stored key; re-pair it", self.title)
            self.last_poll_successful = False
            return
        except MaskError as err:
            if self.last_poll_successful:
                _LOGGER.info("%s is unavailable: %s", self.title, err)
                self.last_poll_successful = False
            return
        if not self.last_poll_successful:
            _LOGGER.info("%s is back online", self.title)
            self.last_poll_successful = True
        self.async_update_listeners()

    # --- Connection ------------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        """The link to the mask is up."""
        return self.client.is_connected

    async def _async_ensure_connected(self, *, authenticate: bool = True) -> None:
        """Connect (and authenticate) if needed, then restart the idle timer."""
        async with self._connect_lock:
            if self._shut_down:
                raise MaskConnectionError(f"{self.title} is being unloaded")
            if not self.client.is_connected:
                await self.client.connect()
                self.async_update_listeners()
            if authenticate and not self.client.authenticated:
                try:
                    await self.client.authenticate()
                except KeyRejectedError:
                    # Free the link and stop polling: the reauth flow connects to pair again,
                    # and reloads the entry with the new key.
                    self._auth_failed = True
                    await self.client.disconnect()
                    self.entry.async_start_reauth(self.hass)
                    raise
                except AuthenticationError as err:
                    # Not the pinned mask (or a forged answer): never re-pair because of it.
                    await self.client.disconnect()
                    _LOGGER.warning("%s could not prove its identity: %s", self.title, err)
                    raise MaskConnectionError(f"{self.title} could not prove its identity") from err
                await self._async_link_ready()
        self._async_schedule_idle_disconnect()

    async def _async_link_ready(self) -> None:
        """First authenticated moments of a link: info, limits, and any session nobody owns."""
        if self.device_info is None:
            self.device_info = await self.client.read_device_information()
            dr.async_get(self.hass).async_update_device(
                self._device_entry_id(),
                model=self.device_info.model,
                sw_version=self.device_info.firmware,
                serial_number=self.device_info.serial,
            )
        status = await self.client.read_status()
        if status.session_active and self._session is None:
            # A session this host did not start (e.g. one from before a restart): stop it now,
            # before writing the limits (the mask refuses new limits during a session). The
            # status after the stop arrives as a notification.
            await self.client.stop()
        else:
            self._async_handle_status(status)
        await self._async_mirror_limits()

    def _device_entry_id(self) -> str:
        device = dr.async_get(self.hass).async_get_or_create(
            config_entry_id=self.entry.entry_id,
            connections={(dr.CONNECTION_BLUETOOTH, self.address)},
            identifiers={(DOMAIN, self.address)},
        )
        return device.id

    async def _async_mirror_limits(self) -> None:
        """Store the configured limits on the mask and check they read back the same."""
        wanted = self.limits.to_device_limits()
        try:
            await self.client.set_limits(wanted)
        except CommandRejected as err:
            _LOGGER.warning("%s refused the limits: %s", self.title, err)
        stored = await self.client.read_limits()
        self._limits_pending = False
        issue_id = f"{ISSUE_LIMITS_MISMATCH}_{self.entry.entry_id}"
        if stored == wanted:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)
            return
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_LIMITS_MISMATCH,
            translation_placeholders={
                "name": self.title,
                "configured": _describe_limits(wanted),
                "stored": _describe_limits(stored),
            },
        )

    @callback
    def _async_schedule_idle_disconnect(self) -> None:
        """Close an idle link after a while, to free the proxy's connection slot."""
        self._cancel_timer(_Timer.IDLE)
        if self._session is None and not self._shut_down:
            self._timers[_Timer.IDLE] = async_call_later(
                self.hass, IDLE_DISCONNECT_S, self._async_idle_timeout
            )

    @callback
    def _async_idle_timeout(self, _now: datetime) -> None:
        self._timers.pop(_Timer.IDLE, None)
        if self._session is None and not (self.status and self.status.session_active):
            self.entry.async_create_background_task(
                self.hass, self._async_disconnect(), f"{DOMAIN} idle disconnect"
            )

    async def _async_disconnect(self) -> None:
        await self.client.disconnect()
        self.async_update_listeners()

    @callback
    def _async_handle_link_lost(self) -> None:
        """The link dropped: a running session is recorded aborted and never resumed."""
        _LOGGER.debug("%s: link lost", self.title)
        # Unlike a planned idle disconnect, the last status may no longer be true.
        self.status = None
        if self._session is not None:
            self._async_finish_session(self._session, SessionEventType.ABORTED, "link_lost")
        self.async_update_listeners()

    # --- Status and supervision ------------------------------------------------------------------

    @callback
    def _async_handle_status(self, status: Status) -> None:
        """Check every status against the limits, follow the session, update the entities."""
        self.status = status
        if status.zone is not Zone.NONE:
            self._pressure_zone = status.zone
        elif not status.session_active and status.pressure_mmhg < VENT_SAFE_MMHG:
            self._pressure_zone = Zone.NONE
        if self._session is not None:
            self.session_peak_mmhg = max(self.session_peak_mmhg or 0.0, status.pressure_mmhg)
        self._async_follow_mask_fault(status.fault, status.pressure_mmhg)
        if check_status(status.pressure_mmhg, status.zone, self.limits).vent_now:
            self._async_safety_trip(HOST_FAULT_OVER_PRESSURE, status.pressure_mmhg)
        session = self._session
        if session is not None:
            self._async_follow_session(session, status)
        elif status.session_active and not self._stopping_unowned:
            # E.g. a session from before a restart: this host cannot supervise it.
            _LOGGER.warning("%s runs a session this host did not start; stopping it", self.title)
            self._stopping_unowned = True
            self.entry.async_create_background_task(
                self.hass, self._async_send(self.client.stop), f"{DOMAIN} stop unowned"
            )
        if not status.session_active:
            self._stopping_unowned = False
        self.async_update_listeners()

    @callback
    def _async_follow_session(self, session: OwnedSession, status: Status) -> None:
        if not status.session_active:
            if session.confirmed:
                event_type, reason = STOP_REASON_OUTCOME[status.stop_reason]
                if status.stop_reason is StopReason.FAULT:
                    reason = status.fault.name.lower()
                elif status.stop_reason in HOST_STOP_REASONS and session.host_stop is not None:
                    event_type, reason = session.host_stop
                self._async_finish_session(session, event_type, reason)
            return
        session.confirmed = True
        if not session.running and status.phase is not Phase.ARMED:
            session.running = True
            session.running_since = dt_util.utcnow()
            session.record.ran = True
            self.history.sessions_total += 1
            self._cancel_timer(_Timer.ARM_EXPIRY)
            if session.armed_until is not None and session.source == SOURCE_UI:
                # The button was pressed: the confirmation no longer says it waits for it.
                notify_start(self.hass, self.entry.entry_id, self.title, session.plan, None)
            self._timers[_Timer.DEADLINE] = async_track_point_in_utc_time(
                self.hass,
                self._async_deadline_reached,
                session_deadline(dt_util.utcnow(), session.plan.max_duration_s),
            )
            self._async_save_history()

    @callback
    def _async_follow_mask_fault(self, fault: FaultCode, pressure_mmhg: float | None) -> None:
        """A fault the mask newly reports: told at once; a safety fault also as one the host detected."""
        if fault and fault is not self._mask_fault_seen:
            if fault_revokes_acknowledgement(fault):
                self._async_safety_fault(fault.name.lower(), pressure_mmhg)
            else:
                self._async_report_fault(fault.name.lower(), pressure_mmhg)
        self._mask_fault_seen = fault

    @callback
    def _async_safety_trip(self, fault: str, pressure_mmhg: float | None) -> None:
        """Give up on the session, report the fault, revoke the acknowledgement.

        Giving up: no heartbeat from now on, vent, stop, and close the link, so a mask that
        ignores the host still vents by its own heartbeat timeout.
        """
        if self._vent_task is None or self._vent_task.done():
            self._vent_task = self.entry.async_create_background_task(
                self.hass, self._async_give_up(), f"{DOMAIN} safety vent"
            )
        if self.host_fault == fault:
            return
        self.host_fault = fault
        self._async_safety_fault(fault, pressure_mmhg)
        if self._session is not None:
            self._async_finish_session(self._session, SessionEventType.ABORTED, fault)

    @callback
    def _async_safety_fault(self, fault: str, pressure_mmhg: float | None) -> None:
        """Every safety fault, whoever detected it: reported, the acknowledgement off."""
        self._async_report_fault(fault, pressure_mmhg)
        self._async_revoke_acknowledgement_now()

    @callback
    def _async_report_fault(self, fault: str, pressure_mmhg: float | None) -> None:
        """Tell the person once per fault episode (faults.py), naming the zone and pressure."""
        if self.fault_details is not None or safety_fault_repair_open(
            self.hass, self.entry.entry_id
        ):
            return
        self.fault_details = FaultDetails(
            fault, self._pressure_zone, pressure_mmhg, dt_util.utcnow()
        )
        _LOGGER.warning("%s: safety fault %s", self.title, self.fault_details)
        report_fault(self.hass, self.entry.entry_id, self.title, self.fault_details)

    async def _async_give_up(self) -> None:
        self.client.stop_heartbeats()
        await self._async_send(self.client.vent)
        await self._async_send(self.client.stop)
        await self._async_disconnect()

    # --- Sessions --------------------------------------------------------------------------------

    async def async_start_session(
        self,
        *,
        routine_key: str | None = None,
        steps: Sequence[Step] | None = None,
        pressure_mmhg: float | None = None,
        duration_min: float | None = None,
        source: str = SOURCE_UI,
        user_id: str | None = None,
    ) -> None:
        """Start a session if safety.check_session_start allows it.

        Give a built-in `routine_key` or custom `steps`; with neither, the selected settings
        (`routine_key`, `target_pressure_mmhg`, `session_duration_min`) are used, as the start
        button does. `source` is "ui" for the dashboard, anything else (e.g. "automation") for
        automations, scripts and service calls. `user_id`, the person the call carries, if any:
        the times in the refusal or the confirmation follow their clock format.

        A refusal raises a translated ServiceValidationError naming the rule and the limit, emits
        a "refused" session event, and sends nothing to the mask. Without the acknowledgement, a
        start that is not from the UI also raises the `acknowledgement_required` repair issue.
        A mask that cannot be reached or rejects the start raises a HomeAssistantError.
        """
        if routine_key is None and steps is None:
            routine_key = self.routine_key
            pressure_mmhg = self.target_pressure_mmhg
            duration_min = self.session_duration_min
        decision = check_session_start(
            SessionRequest(
                routine_key=routine_key,
                custom_steps=None if steps is None else tuple(steps),
                pressure_mmhg=pressure_mmhg,
                duration_min=duration_min,
            ),
            self.limits,
            self._safety_context(),
        )
        twelve_hour = await async_reader_twelve_hour(self.hass, user_id)
        if decision.plan is None:
            rule = decision.rule or RefusalRule.INVALID_VALUE
            placeholders = readable_placeholders(
                self.hass, decision.placeholders, self.cooldown_ends, twelve_hour=twelve_hour
            )
            message = exception_message(self.hass, rule.value, placeholders)
            # A refusal is the policy working, not an error: a warning with its reason.
            _LOGGER.warning("%s: start refused: %s", self.title, message)
            self._events.refused(routine_key, source, rule, message)
            if rule is RefusalRule.ACKNOWLEDGEMENT_REQUIRED and source != SOURCE_UI:
                ir.async_create_issue(
                    self.hass,
                    DOMAIN,
                    f"{ISSUE_ACKNOWLEDGEMENT_REQUIRED}_{self.entry.entry_id}",
                    is_fixable=False,
                    severity=ir.IssueSeverity.WARNING,
                    translation_key=ISSUE_ACKNOWLEDGEMENT_REQUIRED,
                    translation_placeholders={"name": self.title},
                )
            raise StartRefusedError(rule, placeholders, message)
        await self._async_start_plan(decision.plan, source, twelve_hour=twelve_hour)

    async def _async_start_plan(
        self, plan: SessionPlan, source: str, *, twelve_hour: bool | None
    ) -> None:
        record = SessionRecord(plan.routine_key, source, started=dt_util.utcnow())
        self._pressure_zone = Zone.NONE
        session = OwnedSession(plan, source, record)
        self._session = session
        self.session_peak_mmhg = None
        self._cancel_timer(_Timer.IDLE)
        try:
            await self._async_ensure_connected()
            if self._limits_pending:
                await self._async_mirror_limits()
        except MaskError as err:
            self._session = None
            raise _communication_error(self.title, err) from err
        try:
            await self.client.start_session(
                Routine(plan.routine_key, plan.steps),
                max_duration_s=plan.max_duration_s,
                await_button=plan.await_button,
            )
        except CommandRejected as err:
            self._session = None
            self._async_schedule_idle_disconnect()
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="start_rejected",
                translation_placeholders={"name": self.title, "result": err.result.name.lower()},
            ) from err
        except MaskError as err:
            self._async_start_unanswered(session)
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="start_unanswered",
                translation_placeholders={"name": self.title},
            ) from err
        self.history.sessions.append(record)
        self._async_save_history()
        # A stop, a fault or a lost link may have ended the session while its start was in
        # flight: then it has no timers, and its end follows `started` at once.
        if plan.await_button and self._session is session:
            session.armed_until = dt_util.utcnow() + timedelta(seconds=ARM_EXPIRY_S)
            self._timers[_Timer.ARM_EXPIRY] = async_call_later(
                self.hass, ARM_EXPIRY_S, self._async_arm_expired
            )
        self._events.started(session)
        if source == SOURCE_UI and self._session is session:
            notify_start(
                self.hass,
                self.entry.entry_id,
                self.title,
                plan,
                session.armed_until,
                twelve_hour=twelve_hour,
            )
        self._async_dismiss_refusal_notification()
        self.async_update_listeners()

    @callback
    def _async_start_unanswered(self, session: OwnedSession) -> None:
        """The start left, its answer did not come back: the mask may be running it.

        When in doubt, it counts: it is recorded as a session that ran (today's count, the
        cooldown), and stopped, since this host cannot supervise a session it is unsure of.
        """
        self._session = None
        record = session.record
        record.ran = True
        record.ended = dt_util.utcnow()
        record.outcome = SessionEventType.ABORTED.value
        record.reason = "start_unanswered"
        self.history.sessions.append(record)
        self._async_save_history()
        self.entry.async_create_background_task(
            self.hass, self._async_send(self.client.stop), f"{DOMAIN} stop unanswered start"
        )
        self.async_update_listeners()

    async def async_stop_session(self, *, source: str = SOURCE_UI) -> None:
        """Stop the session and release. Always allowed; connects if needed, no authentication."""
        await self._async_request_stop(f"stop_{source}", self.client.stop)

    async def async_vent(self, *, source: str = SOURCE_UI) -> None:
        """Release every bladder at once. Always allowed; connects if needed, no authentication."""
        await self._async_request_stop(f"vent_{source}", self.client.vent)

    async def _async_request_stop(
        self, reason: str, command: Callable[[], Awaitable[None]]
    ) -> None:
        """Send stop or vent; a session that does not end within the timeout gets a vent."""
        if self._session is not None:
            self._session.host_stop = (SessionEventType.STOPPED, reason)
            self._async_expect_session_end()
        try:
            await self._async_ensure_connected(authenticate=False)
            await command()
        except MaskError as err:
            raise _communication_error(self.title, err) from err

    @callback
    def _async_expect_session_end(self) -> None:
        if _Timer.STOP_CONFIRM not in self._timers:
            self._timers[_Timer.STOP_CONFIRM] = async_call_later(
                self.hass, STOP_CONFIRM_TIMEOUT_S, self._async_stop_unconfirmed
            )

    @callback
    def _async_stop_unconfirmed(self, _now: datetime) -> None:
        self._timers.pop(_Timer.STOP_CONFIRM, None)
        if self._session is not None:
            self._async_safety_trip(
                HOST_FAULT_STOP_UNCONFIRMED,
                None if self.status is None else self.status.pressure_mmhg,
            )

    @callback
    def _async_deadline_reached(self, _now: datetime) -> None:
        """The host's own deadline: stop, and vent if the mask does not confirm."""
        self._timers.pop(_Timer.DEADLINE, None)
        if (session := self._session) is None:
            return
        _LOGGER.info("%s: session deadline reached, stopping", self.title)
        session.host_stop = (SessionEventType.STOPPED, "deadline")
        self._async_expect_session_end()
        self.entry.async_create_background_task(
            self.hass, self._async_send(self.client.stop), f"{DOMAIN} deadline stop"
        )

    @callback
    def _async_arm_expired(self, _now: datetime) -> None:
        self._timers.pop(_Timer.ARM_EXPIRY, None)
        if (session := self._session) is not None and not session.running:
            session.host_stop = (SessionEventType.ABORTED, "arm_expired")
            self._async_expect_session_end()
            self.entry.async_create_background_task(
                self.hass, self._async_send(self.client.stop), f"{DOMAIN} arm expired"
            )

    async def _async_send(self, command: Callable[[], Awaitable[None]]) -> None:
        """Send a stop or vent from a timer or the supervision (failures are logged)."""
        try:
            await self._async_ensure_connected(authenticate=False)
            await command()
        except MaskError as err:
            _LOGGER.warning("%s: %s failed: %s", self.title, command.__name__, err)

    @callback
    def _async_finish_session(
        self, session: OwnedSession, event_type: SessionEventType, reason: str
    ) -> None:
        self._session = None
        for timer in (_Timer.DEADLINE, _Timer.ARM_EXPIRY, _Timer.STOP_CONFIRM):
            self._cancel_timer(timer)
        dismiss_start(self.hass, self.entry.entry_id)
        session.record.ended = ended = dt_util.utcnow()
        session.record.outcome = event_type.value
        session.record.reason = reason
        if session.running_since is not None:
            self.history.therapy_time_total_s += round(
                (ended - session.running_since).total_seconds()
            )
        self._async_save_history()
        self._events.ended(session, event_type, reason)
        if self.client.is_connected:
            self._async_schedule_idle_disconnect()

    @callback
    def _async_save_history(self) -> None:
        self.entry.async_create_background_task(
            self.hass, self.history.async_save(), f"{DOMAIN} save history"
        )

    def _safety_context(self) -> SafetyContext:
        now = dt_util.now()
        return SafetyContext(
            now=now,
            # The stored acknowledgement: the policy tells an expired one from a missing one.
            acknowledged=self.history.acknowledged_at is not None,
            acknowledged_at=self.history.acknowledged_at,
            last_session_end=self.history.last_session_end,
            sessions_today=self.history.sessions_on(now),
            # The repair of a safety fault is the way back, even once the mask's fault is gone.
            fault_active=self.fault is not None
            or safety_fault_repair_open(self.hass, self.entry.entry_id),
            session_running=self._session is not None or self.session_active,
        )

    # --- Session events --------------------------------------------------------------------------

    @callback
    def async_subscribe_session_events(
        self, listener: Callable[[SessionEvent], None]
    ) -> CALLBACK_TYPE:
        """Call `listener` with every SessionEvent; returns the unsubscribe callback."""
        return self._events.subscribe(listener)

    # --- Acknowledgement -------------------------------------------------------------------------

    @property
    def acknowledged(self) -> bool:
        """The person acknowledged the contraindications under the current limits, unexpired."""
        return self.history.acknowledged_at is not None and not acknowledgement_expired(
            self.history.acknowledged_at, self.limits, dt_util.utcnow()
        )

    async def async_set_acknowledged(self, on: bool) -> None:  # noqa: FBT001 - a switch's state
        """Give or withdraw the acknowledgement (persisted with the limits it was given under).

        After a safety fault it can be given only by the fault's repair flow (repairs.py), which
        checks that the mask's own fault is gone and shows the contraindications again.
        """
        if not on:
            await self._async_revoke_acknowledgement()
            return
        if self.fault is not None or safety_fault_repair_open(self.hass, self.entry.entry_id):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="acknowledgement_needs_repair",
                translation_placeholders={"name": self.title},
            )
        await self._async_give_acknowledgement()

    async def _async_give_acknowledgement(self) -> None:
        self.history.acknowledged_at = dt_util.utcnow()
        self.history.acknowledged_limits = self.limits.to_options()
        ir.async_delete_issue(
            self.hass, DOMAIN, f"{ISSUE_ACKNOWLEDGEMENT_REQUIRED}_{self.entry.entry_id}"
        )
        self._async_dismiss_refusal_notification()
        await self.history.async_save()
        self.async_update_listeners()

    @callback
    def _async_dismiss_refusal_notification(self) -> None:
        """The blueprint's "not started" notification goes once its cause is fixed."""
        persistent_notification.async_dismiss(
            self.hass, REFUSAL_NOTIFICATION_ID.format(device_id=self._device_entry_id())
        )

    # --- Fault repair (the steps of repairs.py) --------------------------------------------------

    async def async_clear_mask_fault(self) -> FaultCode:
        """Ask the mask to clear its latched fault; return the fault it still reports.

        The mask clears a fault only once its cause has gone (a short press of its button does
        the same); while the cause remains it refuses, and the fault is returned.
        """
        try:
            await self._async_ensure_connected()
            status = await self.client.read_status()
            if status.fault:
                try:
                    await self.client.clear_fault()
                except CommandRejected as err:
                    _LOGGER.info("%s keeps its fault: %s", self.title, err)
                status = await self.client.read_status()
        except MaskError as err:
            raise _communication_error(self.title, err) from err
        self._async_handle_status(status)
        if not status.fault and self.advertisement is not None and self.advertisement.fault:
            # The link just showed the fault gone; an advertisement heard before is stale.
            self.advertisement = replace(self.advertisement, fault=FaultCode.NONE)
        return status.fault

    async def async_finish_fault_repair(self) -> None:
        """The last step of the repair: the fault is over, the acknowledgement is given again.

        Raises HomeAssistantError while the mask still reports a fault of its own.
        """
        if (mask_fault := self.mask_fault) is not None:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="mask_fault_remains",
                translation_placeholders={
                    "name": self.title,
                    "fault": translate(self.hass, "selector", f"fault_name.options.{mask_fault}"),
                },
            )
        self.host_fault = None
        self.fault_details = None
        dismiss_fault_notification(self.hass, self.entry.entry_id)
        await self._async_give_acknowledgement()

    async def _async_revoke_acknowledgement(self) -> None:
        self._async_revoke_acknowledgement_now()
        await self.history.async_save()

    @callback
    def _async_revoke_acknowledgement_now(self) -> None:
        """Turn the acknowledgement off at once (the switch follows now, the store soon)."""
        self.history.acknowledged_at = None
        self.history.acknowledged_limits = None
        self._async_save_history()
        self.async_update_listeners()

    # --- Selected settings (select and number entities) ------------------------------------------

    @callback
    def async_set_routine_key(self, routine_key: str) -> None:
        """Choose the routine the start button runs."""
        self.routine_key = routine_key
        self.async_update_listeners()

    @callback
    def async_set_target_pressure_mmhg(self, pressure_mmhg: float) -> None:
        """Choose the face pressure the start button asks for (checked again at start)."""
        self.target_pressure_mmhg = pressure_mmhg
        self.async_update_listeners()

    @callback
    def async_set_session_duration_min(self, duration_min: float) -> None:
        """Choose the session duration the start button asks for (checked again at start)."""
        self.session_duration_min = duration_min
        self.async_update_listeners()

    # --- State for the entities ------------------------------------------------------------------

    @property
    def session_active(self) -> bool:
        """A session is armed, running or paused on the mask."""
        if self.client.is_connected and self.status is not None:
            return self.status.session_active
        return bool(self.advertisement and self.advertisement.session_active)

    @property
    def fault(self) -> str | None:
        """The host's safety fault, else the mask's latched fault, else None."""
        return self.host_fault if self.host_fault is not None else self.mask_fault

    @property
    def fault_reading(self) -> tuple[Zone, float] | None:
        """Where and how hard the mask pressed when the current fault was raised."""
        details = self.fault_details
        if details is None or details.pressure_mmhg is None:
            return None
        return details.zone, details.pressure_mmhg

    @property
    def mask_fault(self) -> str | None:
        """The fault the mask itself reports (latched until cleared), or None."""
        if self.client.is_connected and self.status is not None:
            mask_fault = self.status.fault
        elif self.advertisement is not None:
            mask_fault = self.advertisement.fault
        else:
            mask_fault = FaultCode.NONE
        return mask_fault.name.lower() if mask_fault else None

    @property
    def low_battery(self) -> bool:
        """The mask reports a battery too low to start a session."""
        if self.client.is_connected and self.status is not None:
            return self.status.low_battery
        return bool(self.advertisement and self.advertisement.low_battery)

    @property
    def battery_percent(self) -> int | None:
        """Battery level from the advertisement."""
        return None if self.advertisement is None else self.advertisement.battery_percent

    @property
    def sessions_today(self) -> int:
        """Sessions that ran today."""
        return self.history.sessions_on(dt_util.utcnow())

    @property
    def last_session(self) -> datetime | None:
        """When the last session started."""
        last = self.history.last
        return None if last is None else last.started

    @property
    def cooldown_ends(self) -> datetime | None:
        """When the cooldown after the last session ends."""
        return cooldown_ends_at(self.history.last_session_end, self.limits)

    @property
    def session_plan(self) -> SessionPlan | None:
        """What the mask was asked to do in the session this host owns."""
        return None if self._session is None else self._session.plan

    @property
    def armed_until(self) -> datetime | None:
        """When the armed session expires unless the mask's button is pressed."""
        if self._session is None or self._session.running:
            return None
        return self._session.armed_until

    def start_conditions(self) -> Decision | None:
        """The refusal any start would get now (safety.check_start_conditions), or None."""
        return check_start_conditions(self.limits, self._safety_context())

    @callback
    @override
    def async_update_listeners(self) -> None:
        """Update the entities; wake them again when a host-side state changes by itself."""
        super().async_update_listeners()
        self._async_schedule_boundary()

    @callback
    def _async_schedule_boundary(self) -> None:
        """Refresh at the cooldown's end, the next local midnight and the expiry of the
        acknowledgement: readiness, status and sessions today change then without any event.
        """
        now = dt_util.now()
        moments = [
            dt_util.start_of_local_day(now.date() + timedelta(days=1)),
            *(
                moment
                for moment in (
                    self.cooldown_ends,
                    acknowledgement_expires_at(self.history.acknowledged_at, self.limits),
                )
                if moment is not None and moment > now
            ),
        ]
        boundary = min(moments)
        if boundary == self._boundary and _Timer.BOUNDARY in self._timers:
            return
        self._cancel_timer(_Timer.BOUNDARY)
        if self._shut_down:
            return
        self._boundary = boundary
        self._timers[_Timer.BOUNDARY] = async_track_point_in_utc_time(
            self.hass, self._async_boundary_reached, boundary
        )

    @callback
    def _async_boundary_reached(self, _now: datetime) -> None:
        self._timers.pop(_Timer.BOUNDARY, None)
        self.async_update_listeners()


def _describe_limits(limits: DeviceLimits) -> str:
    return (
        f"face {limits.face_max_mmhg:g}, under eye {limits.under_eye_max_mmhg:g}, "
        f"neck {limits.neck_max_mmhg:g} mmHg, {limits.max_session_s // 60} min"
    )


def _communication_error(name: str, err: MaskError) -> HomeAssistantError:
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="communication_error",
        translation_placeholders={"name": name, "error": str(err)},
    )


async def async_prepare_coordinator(
    hass: HomeAssistant, entry: PressureMaskConfigEntry
) -> PressureMaskCoordinator:
    """Find the mask (fast: never delays start-up) and build its coordinator."""
    credentials = entry_credentials(entry)
    if credentials is None:
        # A version 1 entry (its key travelled in clear): the person pairs again (reauth).
        raise ConfigEntryAuthFailed(translation_domain=DOMAIN, translation_key="pair_again")
    address: str = entry.data[CONF_ADDRESS]
    await close_stale_connections_by_address(address)
    ble_device = bluetooth.async_ble_device_from_address(hass, address, connectable=True)
    if ble_device is None:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="device_not_found",
            translation_placeholders={"address": address},
        )
    coordinator = PressureMaskCoordinator(hass, entry, ble_device, credentials)
    await coordinator.async_setup()
    return coordinator


def entry_credentials(entry: ConfigEntry) -> HostCredentials | None:
    """This host's credentials from its entry; None for an entry that must pair again."""
    data = entry.data
    if not all(name in data for name in (CONF_KEY, CONF_SLOT, CONF_IDENTITY)):
        return None
    return HostCredentials(
        int(data[CONF_SLOT]), bytes.fromhex(data[CONF_KEY]), bytes.fromhex(data[CONF_IDENTITY])
    )


def credentials_data(credentials: HostCredentials) -> dict[str, str | int]:
    """The entry data that entry_credentials reads back."""
    return {
        CONF_KEY: credentials.host_key.hex(),
        CONF_SLOT: credentials.slot,
        CONF_IDENTITY: credentials.mask_identity.hex(),
    }


__all__ = [
    "PressureMaskConfigEntry",
    "PressureMaskCoordinator",
    "SessionEvent",
    "SessionEventType",
    "StartRefusedError",
    "async_prepare_coordinator",
    "credentials_data",
    "entry_credentials",
]
