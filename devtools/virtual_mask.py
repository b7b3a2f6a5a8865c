"""The virtual mask: the reference device side of the protocol, behind a bleak client backend.

VirtualMask models one mask: bladder pressure over time, the pump and the normally-open vent
valve, the button, the battery, pairing and authentication, and every device-side safety rule in
docs/protocol.md. Its clock only moves when `advance()` is called, so tests decide what time it
is. VirtualMaskBackend is a bleak `BaseBleakClient` that finds the mask by address in a registry
and talks to it byte for byte, so the real client (and Home Assistant's Bluetooth stack) can be
used against it unchanged.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import StrEnum
import math
from typing import TYPE_CHECKING, Any, Final

from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient
from bleak.backends.device import BLEDevice
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection
from bleak.exc import BleakError
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from custom_components.pressure_mask.mask_ble.codec import (
    FACTORY_LIMITS,
    Advertisement,
    AuthFinish,
    AuthHello,
    AuthOffer,
    ClearFault,
    Command,
    DeviceInfo,
    DeviceLimits,
    Frame,
    FrameError,
    Heartbeat,
    KeySlot,
    Pair,
    PairConfirm,
    PairOffer,
    Pause,
    PayloadError,
    ReadInfo,
    ReadLimits,
    ReadSlots,
    ReadStatus,
    Response,
    Resume,
    RevokeSlot,
    SetLimits,
    SlotState,
    StartSession,
    Status,
    Stop,
    UnknownOpcodeError,
    Vent,
    decode_command,
    decode_frame,
    encode_slots,
)
from custom_components.pressure_mask.mask_ble.const import (
    ARM_TIMEOUT_S,
    AUTH_TIMEOUT_S,
    BATTERY_LEVEL_UUID,
    BATTERY_SERVICE_UUID,
    BUTTON_DEBOUNCE_MS,
    BUTTON_LONG_PRESS_MS,
    BUTTON_SHORT_PRESS_MAX_MS,
    CONTROL_POINT_UUID,
    CRITICAL_BATTERY_PERCENT,
    DEVICE_CEILING_MMHG,
    DEVICE_INFORMATION_SERVICE_UUID,
    DEVICE_MAX_SESSION_S,
    FACE_CEILING_MMHG,
    FIRMWARE_REVISION_UUID,
    HARDWARE_TRIP_MMHG,
    HEARTBEAT_TIMEOUT_S,
    HOST_ID_LENGTH,
    KEY_SLOTS,
    LOCAL_NAME_PREFIX,
    LOW_BATTERY_PERCENT,
    MANUFACTURER_ID,
    MASK_SERVICE_UUID,
    MAX_BAD_FRAMES,
    MAX_CONTINUOUS_PRESSURE_S,
    MAX_PENDING_HANDSHAKES,
    MODEL_NUMBER_UUID,
    NECK_CEILING_MMHG,
    OVER_PRESSURE_MARGIN_MMHG,
    PAIRING_WINDOW_S,
    PAUSE_TIMEOUT_S,
    PROTOCOL_VERSION,
    SENSITIVE_MAX_CONTINUOUS_S,
    SENSITIVE_MAX_PRESSURISED_S,
    SENSITIVE_MIN_RELEASE_S,
    SERIAL_NUMBER_UUID,
    STATUS_INTERVAL_S,
    STATUS_UUID,
    UNDER_EYE_CEILING_MMHG,
    VENT_SAFE_MMHG,
    FaultCode,
    Opcode,
    Phase,
    ResultCode,
    StatusFlags,
    StopReason,
    Zone,
)
from custom_components.pressure_mask.mask_ble.secure import (
    HostCredentials,
    PairingTranscript,
    SecureLink,
    SessionKeys,
    fingerprint,
    host_id,
    key_agreement,
    public_bytes,
    random_nonce,
    same,
    slot_key,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from bleak.args import SizedBuffer
    from bleak.backends.client import NotifyCallback
    from bleak.backends.descriptor import BleakGATTDescriptor

    from custom_components.pressure_mask.mask_ble.routines import Step

# Physics of the model (not protocol requirements).
PUMP_RATE_MMHG_S: Final = 30.0
# During a hold the pump only trickles: enough to make up the natural leak, not a real leak.
HOLD_TOPUP_MMHG_S: Final = 0.5
HOLD_HYSTERESIS_MMHG: Final = 0.5
VENT_TAU_S: Final = 0.4
NATURAL_LEAK_MMHG_S: Final = 0.1
TICK_S: Final = 0.02
IDLE_STATUS_INTERVAL_S: Final = 1.0

# Firmware detection thresholds of the reference mask.
INFLATE_GRACE_S: Final = 2.0
LEAK_TOLERANCE_MMHG: Final = 3.0
SENSOR_STUCK_S: Final = 1.0
SENSOR_MIN_CHANGE_MMHG: Final = 0.2
VENT_DONE_MMHG: Final = 1.0
VENT_MAX_S: Final = 5.0

DEFAULT_SLOW_LEAK_MMHG_S: Final = 2.0
DEFAULT_SPIKE_MMHG: Final = 20.0
DEFAULT_LOW_BATTERY_PERCENT: Final = 10
MTU: Final = 247
_SENSITIVE_ZONES: Final = frozenset({Zone.UNDER_EYE, Zone.NECK})
_STOP_ALWAYS_WINS: Final[dict[int, Command]] = {Opcode.STOP: Stop(), Opcode.VENT: Vent()}


class VirtualFault(StrEnum):
    """Faults a test can inject into the virtual mask."""

    DROP_LINK = "drop_link"  # drop the link now and refuse connections until cleared
    STOP_RESPONDING = "stop_responding"  # accept writes but neither act on nor answer them
    STUCK_SENSOR = "stuck_sensor"  # the pressure reading freezes at its current value
    SLOW_LEAK = "slow_leak"  # bladder loses rate_mmhg_s (default 2.0) mmHg per second
    OVER_PRESSURE_SPIKE = "over_pressure_spike"  # one-shot jump of mmhg (default 20) mmHg
    IGNORE_STOP = "ignore_stop"  # acknowledge STOP and VENT but do nothing (buggy firmware)
    LOW_BATTERY = "low_battery"  # battery drops to percent (default 10)
    CORRUPT_FRAMES = "corrupt_frames"  # corrupt the next count responses (default: all)
    WRONG_PAIRING_KEY = "wrong_pairing_key"  # pairing stores a key the host did not derive
    SENSOR_FAILED = "sensor_failed"  # the pressure sensor reads NaN (disconnected, broken)
    BATTERY_UNKNOWN = "battery_unknown"  # the fuel gauge cannot measure the battery


@dataclass(slots=True)
class _Session:
    steps: tuple[Step, ...]
    max_duration_s: int
    armed_at: float
    started_at: float | None = None
    step_index: int = 0
    repetition: int = 1
    stage: Phase = Phase.INFLATING
    stage_started_at: float = 0.0
    paused_at: float | None = None

    @property
    def step(self) -> Step:
        return self.steps[self.step_index]


def _notable(status: Status) -> tuple[object, ...]:
    """What triggers an immediate notification: all but pressure, times, pump, valve and auth.

    The authenticated flag is left out: its change is the AUTHENTICATE response itself.
    """
    flags = status.flags & ~(
        StatusFlags.PUMP_ON | StatusFlags.VALVE_OPEN | StatusFlags.AUTHENTICATED
    )
    return (status.phase, status.fault, flags, status.step, status.repetition, status.stop_reason)


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def _step_ms(step: Step) -> int:
    return (_ms(step.inflate_s) + _ms(step.hold_s) + _ms(step.release_s)) * step.repetitions


@dataclass(slots=True)
class _HostSlot:
    host_key: bytes
    host_id: bytes


@dataclass(slots=True)
class _PairingExchange:
    transcript: PairingTranscript
    pairing_key: bytes
    slot: int
    button_pressed: bool = False


@dataclass(frozen=True, slots=True)
class _Handshake:
    slot: int
    keys: SessionKeys
    host_nonce: bytes
    device_nonce: bytes


# --- Registry: one backend class serves every virtual mask ------------------------------------

_REGISTRY: dict[str, VirtualMask] = {}


def register_virtual_mask(mask: VirtualMask) -> None:
    """Make a mask reachable by VirtualMaskBackend at its address."""
    _REGISTRY[mask.address.upper()] = mask


def unregister_virtual_mask(mask: VirtualMask) -> None:
    """Remove a mask from the registry (its backend connections fail from now on)."""
    if _REGISTRY.get(mask.address.upper()) is mask:
        del _REGISTRY[mask.address.upper()]


def get_virtual_mask(address: str) -> VirtualMask | None:
    """The registered mask at an address."""
    return _REGISTRY.get(address.upper())


class VirtualMask:
    """A simulated pressure mask with a manual clock."""

    def __init__(
        self,
        address: str,
        *,
        name: str | None = None,
        identity_key: X25519PrivateKey | None = None,
        model: str = "PM-1 virtual",
        firmware: str = "1.0.0",
        serial: str | None = None,
        status_interval_s: float = STATUS_INTERVAL_S,
    ) -> None:
        """Create the mask and register it so VirtualMaskBackend can reach it by address."""
        self.address = address
        self.name = name or f"{LOCAL_NAME_PREFIX}-{address.replace(':', '')[-4:].upper()}"
        # The long-term identity key pair; its fingerprint is printed on the mask's label.
        self.identity_key = identity_key or X25519PrivateKey.generate()
        self.identity_public = public_bytes(self.identity_key)
        self._slots: list[_HostSlot | None] = [None] * KEY_SLOTS
        self.info = DeviceInfo(
            model, firmware, serial or f"VM{address.replace(':', '')}", PROTOCOL_VERSION
        )
        self.status_interval_s = status_interval_s
        self.limits: DeviceLimits = FACTORY_LIMITS
        self.battery_percent: int | None = 100
        # Every command the mask decoded, every frame written to it, every frame it indicated.
        self.received: list[Command] = []
        self.written_frames: list[bytes] = []
        self.sent_frames: list[bytes] = []
        self.notified_status: list[Status] = []
        # The status notifications as they went on air (sealed once authenticated).
        self.status_frames: list[bytes] = []
        self._now = 0.0
        self._pressure = 0.0
        self._stuck_reading: float | None = None
        self._pending_spike = 0.0
        self._pump_on = False
        self._pump_rate = PUMP_RATE_MMHG_S
        self._valve_open = True
        self._phase = Phase.IDLE
        self._session: _Session | None = None
        self._fault = FaultCode.NONE
        self._stop_reason = StopReason.NONE
        self._cycles_completed = 0
        self._vent_started_at = 0.0
        self._last_session_end: float | None = None
        self._above_safe_since: float | None = None
        # The run of pressure above VENT_SAFE_MMHG has pressed a sensitive zone.
        self._sensitive_run = False
        self._reading_ref = 0.0
        self._reading_ref_at = 0.0
        self._link: VirtualMaskBackend | None = None
        self._linked_at = 0.0
        self._secure: SecureLink | None = None
        self._auth_slot: int | None = None
        self._handshakes: list[_Handshake] = []
        self._bad_frames = 0
        self._pairing: _PairingExchange | None = None
        self._pending_limits: DeviceLimits | None = None
        self._pairing_until: float | None = None
        self._last_heartbeat = 0.0
        self._faults: dict[VirtualFault, dict[str, Any]] = {}
        self._corrupt_remaining: int | None = None
        self._next_status_at = 0.0
        self._last_emitted: tuple[object, ...] | None = None
        register_virtual_mask(self)

    # --- Observable state ------------------------------------------------------------------------

    @property
    def now(self) -> float:
        """The mask's clock in seconds."""
        return self._now

    @property
    def pressure_mmhg(self) -> float:
        """The true bladder pressure (what the user feels)."""
        return self._pressure

    @property
    def measured_mmhg(self) -> float:
        """What the pressure sensor reads (differs from the truth when it is stuck or failed)."""
        if VirtualFault.SENSOR_FAILED in self._faults:
            return math.nan
        return self._pressure if self._stuck_reading is None else self._stuck_reading

    @property
    def battery_level(self) -> int:
        """The battery level the firmware acts on: an unknown battery counts as empty."""
        return 0 if self.battery_percent is None else self.battery_percent

    @property
    def phase(self) -> Phase:
        """Current phase."""
        session = self._session
        if session is None:
            return self._phase
        if session.started_at is None:
            return Phase.ARMED
        if session.paused_at is not None:
            return Phase.PAUSED
        return session.stage

    @property
    def zone(self) -> Zone:
        """Zone of the current step (NONE without a session)."""
        return Zone.NONE if self._session is None else self._session.step.zone

    @property
    def fault(self) -> FaultCode:
        """Latched fault."""
        return self._fault

    @property
    def stop_reason(self) -> StopReason:
        """Why the last session ended."""
        return self._stop_reason

    @property
    def session_active(self) -> bool:
        """A session is armed, running or paused."""
        return self._session is not None

    @property
    def connected(self) -> bool:
        """A host is connected."""
        return self._link is not None

    @property
    def authenticated(self) -> bool:
        """The connected host has authenticated."""
        return self._secure is not None

    @property
    def pairing_mode(self) -> bool:
        """A host may open a pairing exchange."""
        return self._pairing_until is not None

    @property
    def fingerprint(self) -> str:
        """The identity fingerprint printed on the label."""
        return fingerprint(self.identity_public)

    @property
    def pending_limits(self) -> DeviceLimits | None:
        """Looser limits that wait for a button press."""
        return self._pending_limits

    def slots(self, own: int | None = None) -> tuple[KeySlot, ...]:
        """The key slots as READ_SLOTS lists them (`own` is the asking host's slot)."""
        return tuple(
            KeySlot(
                index,
                SlotState.EMPTY
                if slot is None
                else SlotState.THIS_HOST
                if index == own
                else SlotState.PAIRED,
                bytes(HOST_ID_LENGTH) if slot is None else slot.host_id,
            )
            for index, slot in enumerate(self._slots)
        )

    def add_host(self, slot: int, host_key: bytes, host_public: bytes = b"") -> HostCredentials:
        """Provision a paired host directly (a mask set up earlier; tests and the demo)."""
        self._slots[slot] = _HostSlot(host_key, host_id(host_public or host_key))
        return HostCredentials(slot, host_key, self.identity_public)

    @property
    def low_battery(self) -> bool:
        """Battery below LOW_BATTERY_PERCENT, or unknown."""
        return self.battery_level < LOW_BATTERY_PERCENT

    @property
    def reachable(self) -> bool:
        """A host can connect (false while DROP_LINK is injected)."""
        return VirtualFault.DROP_LINK not in self._faults

    @property
    def bleak_backend(self) -> type[VirtualMaskBackend]:
        """The backend class to pass to BleakClient(..., backend=...) (registers this mask)."""
        register_virtual_mask(self)
        return VirtualMaskBackend

    def ble_device(self) -> BLEDevice:
        """A BLEDevice for this mask."""
        return BLEDevice(self.address, self.name, {"virtual_mask": True})

    def status(self) -> Status:
        """The status the mask would notify now."""
        session = self._session
        flags = StatusFlags.NONE
        if session is not None:
            flags |= StatusFlags.SESSION_ACTIVE
        if self._secure is not None:
            flags |= StatusFlags.AUTHENTICATED
        if self.pairing_mode:
            flags |= StatusFlags.PAIRING_MODE
        if self.low_battery:
            flags |= StatusFlags.LOW_BATTERY
        if self._valve_open:
            flags |= StatusFlags.VALVE_OPEN
        if self._pump_on:
            flags |= StatusFlags.PUMP_ON
        elapsed = remaining = 0
        if session is not None:
            if session.started_at is not None:
                elapsed = int(self._now - session.started_at)
            remaining = math.ceil(
                min(self._routine_remaining_s(session), self._deadline_s(session))
            )
        return Status(
            pressure_mmhg=round(max(self.measured_mmhg, 0.0), 1),
            phase=self.phase,
            zone=self.zone,
            step=0 if session is None else session.step_index,
            repetition=0 if session is None else session.repetition,
            elapsed_s=min(elapsed, 0xFFFF),
            remaining_s=max(0, min(remaining, 0xFFFF)),
            cycles_completed=min(self._cycles_completed, 0xFFFF),
            fault=self._fault,
            flags=flags,
            stop_reason=self._stop_reason,
        )

    def advertisement(self) -> Advertisement:
        """The decoded form of what the mask advertises now."""
        return Advertisement(
            protocol_version=PROTOCOL_VERSION,
            pairing_mode=self.pairing_mode,
            session_active=self.session_active,
            fault=self._fault,
            low_battery=self.low_battery,
            battery_percent=self.battery_percent,
        )

    def advertisement_data(self) -> tuple[str, list[str], dict[int, bytes]]:
        """(local name, service UUIDs, manufacturer data) as a scanner would see them."""
        return self.name, [MASK_SERVICE_UUID], {MANUFACTURER_ID: self.advertisement().encode()}

    # --- Physical interaction --------------------------------------------------------------------

    def press_button(self, hold_s: float = 0.2) -> None:
        """Press the button for hold_s seconds (the clock does not move).

        Held under BUTTON_DEBOUNCE_MS it is bounce and does nothing. Otherwise any press stops a
        running or paused session. On an armed session only a clean short press (at most
        BUTTON_SHORT_PRESS_MAX_MS) starts it; any longer press cancels it. Otherwise a short press
        confirms an open pairing exchange, or applies looser limits a host asked for, or clears a
        fault whose cause has gone. A hold of BUTTON_LONG_PRESS_MS or more while idle opens
        pairing mode for PAIRING_WINDOW_S.
        """
        hold_ms = round(hold_s * 1000)
        if hold_ms < BUTTON_DEBOUNCE_MS:
            return
        short_press = hold_ms <= BUTTON_SHORT_PRESS_MAX_MS
        session = self._session
        if session is not None:
            if session.started_at is None and short_press:
                self._begin(session)
            else:
                self._end_session(StopReason.BUTTON)
        elif self._pairing is not None and short_press:
            self._pairing.button_pressed = True
        elif self._pending_limits is not None and short_press:
            self.limits, self._pending_limits = self._pending_limits, None
        elif self._fault and short_press:
            self._try_clear_fault()
        elif hold_ms >= BUTTON_LONG_PRESS_MS and self._phase is Phase.IDLE:
            self._pairing_until = self._now + PAIRING_WINDOW_S
        self._emit_if_changed()

    def factory_reset(self) -> None:
        """Forget every host (all key slots), factory limits, no fault; the identity stays."""
        if self._session is not None:
            self._end_session(StopReason.HOST_VENT)
        self._slots = [None] * KEY_SLOTS
        self.limits = FACTORY_LIMITS
        self._pending_limits = None
        self._fault = FaultCode.NONE
        self._last_session_end = None
        self.drop_link()
        self._reset_link_security()

    def inject_fault(self, kind: VirtualFault, **params: Any) -> None:
        """Inject a fault (see VirtualFault for the parameters)."""
        self._faults[kind] = params
        match kind:
            case VirtualFault.DROP_LINK:
                self.drop_link()
            case VirtualFault.STUCK_SENSOR:
                self._stuck_reading = self.measured_mmhg
            case VirtualFault.OVER_PRESSURE_SPIKE:
                self._pending_spike += float(params.get("mmhg", DEFAULT_SPIKE_MMHG))
                del self._faults[kind]
            case VirtualFault.LOW_BATTERY:
                self.battery_percent = int(params.get("percent", DEFAULT_LOW_BATTERY_PERCENT))
            case VirtualFault.BATTERY_UNKNOWN:
                self.battery_percent = None
            case VirtualFault.CORRUPT_FRAMES:
                count = params.get("count")
                self._corrupt_remaining = None if count is None else int(count)
            case _:
                pass

    def clear_faults(self) -> None:
        """Remove every injected fault (latched device faults stay until cleared)."""
        if self._faults.keys() & {VirtualFault.LOW_BATTERY, VirtualFault.BATTERY_UNKNOWN}:
            self.battery_percent = 100
        self._faults.clear()
        self._stuck_reading = None
        self._corrupt_remaining = None

    def inject_notification(self, uuid: str, data: bytes) -> None:
        """An attacker on the radio sends bytes to the host as if from the mask."""
        if self._link is not None:
            self._link.notify(uuid, data)

    def drop_link(self) -> None:
        """The radio link drops (out of range, interference)."""
        link = self._link
        if link is not None:
            self._link_closed()
            link.link_dropped()

    # --- Clock -----------------------------------------------------------------------------------

    def advance(self, seconds: float) -> None:
        """Move the clock forward, running physics, safety rules and status notifications."""
        remaining = seconds
        while remaining > 1e-9:
            dt = min(TICK_S, remaining)
            remaining -= dt
            self._tick(dt)

    async def run_realtime(self, tick_s: float = 0.05) -> None:
        """Advance the clock with the event loop's time, forever (for the demo)."""
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(tick_s)
            now = loop.time()
            self.advance(now - last)
            last = now

    def _tick(self, dt: float) -> None:
        # Rounding keeps the clock on exact tick boundaries over long runs.
        self._now = round(self._now + dt, 9)
        if self._pending_spike:
            self._pressure += self._pending_spike
            self._pending_spike = 0.0
        # The routine progresses before the timers: one that ends at the instant of its
        # deadline has completed (stop reason COMPLETED, not DEADLINE).
        self._progress_routine()
        self._check_timers()
        self._physics(dt)
        self._check_pressure()
        self._finish_venting()
        if self._emit_if_changed():
            return
        if self._now + 1e-9 >= self._next_status_at:
            self._emit_status()

    def _check_timers(self) -> None:
        if self._pairing_until is not None and self._now >= self._pairing_until:
            self._pairing_until = None
            self._pairing = None
        if self._link is not None and self._secure is None:
            if self._pairing is not None:
                # An open pairing exchange holds the link; its 10 s start again when it ends.
                self._linked_at = self._now
            elif self._now - self._linked_at >= AUTH_TIMEOUT_S:
                # A central that never authenticates may not hold the only link.
                self.drop_link()
        session = self._session
        if session is None:
            return
        if self._now - self._last_heartbeat > HEARTBEAT_TIMEOUT_S:
            self._raise_fault(FaultCode.HEARTBEAT_TIMEOUT)
        elif session.started_at is None:
            if self._now - session.armed_at >= ARM_TIMEOUT_S:
                self._end_session(StopReason.ARM_EXPIRED)
        elif self._now - session.started_at >= session.max_duration_s:
            self._end_session(StopReason.DEADLINE)
        elif session.paused_at is not None and self._now - session.paused_at >= PAUSE_TIMEOUT_S:
            self._end_session(StopReason.PAUSE_EXPIRED)
        elif self.battery_level < CRITICAL_BATTERY_PERCENT:
            self._raise_fault(FaultCode.LOW_BATTERY)

    def _progress_routine(self) -> None:
        session = self._session
        self._pump_on = False
        if session is None or session.started_at is None or session.paused_at is not None:
            self._valve_open = True
            return
        while self._session is session:
            step = session.step
            in_stage = self._now - session.stage_started_at
            match session.stage:
                case Phase.INFLATING:
                    if in_stage < step.inflate_s or (
                        step.pressure_mmhg > 0
                        and self.measured_mmhg < step.pressure_mmhg - 0.5
                        and in_stage < step.inflate_s + INFLATE_GRACE_S
                    ):
                        break
                    if step.pressure_mmhg > 0 and self.measured_mmhg < step.pressure_mmhg - 0.5:
                        self._raise_fault(FaultCode.LEAK)
                        return
                    self._next_stage(session, Phase.HOLDING, min(in_stage, step.inflate_s))
                case Phase.HOLDING:
                    if in_stage < step.hold_s:
                        break
                    self._next_stage(session, Phase.RELEASING, step.hold_s)
                case _:
                    if in_stage < step.release_s:
                        break
                    self._cycles_completed += 1
                    self._next_repetition(session, step.release_s)
        if self._session is session:
            self._drive_pump(session)

    def _drive_pump(self, session: _Session) -> None:
        stage = session.stage
        step = session.step
        # A step without a zone has no bladder to fill: every valve stays open.
        self._valve_open = stage is Phase.RELEASING or step.zone is Zone.NONE
        if step.pressure_mmhg <= 0:
            return
        if stage is Phase.INFLATING:
            ramp = (
                1.0
                if step.inflate_s <= 0
                else min(1.0, (self._now - session.stage_started_at) / step.inflate_s)
            )
            self._pump_rate = PUMP_RATE_MMHG_S
            self._pump_on = self.measured_mmhg < step.pressure_mmhg * ramp
        elif stage is Phase.HOLDING:
            self._pump_rate = HOLD_TOPUP_MMHG_S
            self._pump_on = self.measured_mmhg < step.pressure_mmhg - HOLD_HYSTERESIS_MMHG

    def _next_stage(self, session: _Session, stage: Phase, after_s: float) -> None:
        session.stage = stage
        session.stage_started_at += after_s

    def _next_repetition(self, session: _Session, after_s: float) -> None:
        session.stage_started_at += after_s
        session.stage = Phase.INFLATING
        session.repetition += 1
        if session.repetition > session.step.repetitions:
            session.repetition = 1
            session.step_index += 1
            if session.step_index >= len(session.steps):
                self._end_session(StopReason.COMPLETED)

    def _physics(self, dt: float) -> None:
        if self._valve_open:
            self._pressure *= math.exp(-dt / VENT_TAU_S)
        elif self._pump_on:
            self._pressure += self._pump_rate * dt
        leak = NATURAL_LEAK_MMHG_S
        if VirtualFault.SLOW_LEAK in self._faults:
            leak += float(
                self._faults[VirtualFault.SLOW_LEAK].get("rate_mmhg_s", DEFAULT_SLOW_LEAK_MMHG_S)
            )
        self._pressure = max(0.0, self._pressure - leak * dt)

    def _check_pressure(self) -> None:
        # The hardware trip reads the true pressure; every other check reads the sensor.
        if self._pressure >= HARDWARE_TRIP_MMHG:
            self._raise_fault(FaultCode.HARDWARE_TRIP)
        reading = self.measured_mmhg
        if math.isnan(reading):
            # A sensor that cannot read is a stuck sensor: nothing else can be judged.
            self._raise_fault(FaultCode.SENSOR_STUCK)
            self._reading_ref_at = self._now
            return
        session = self._session
        if session is not None and session.started_at is not None and session.paused_at is None:
            step = session.step
            if (
                step.zone is not Zone.NONE
                and reading > self._zone_max(step.zone) + OVER_PRESSURE_MARGIN_MMHG
            ):
                self._raise_fault(FaultCode.OVER_PRESSURE)
            elif (
                session.stage is Phase.HOLDING
                and reading < step.pressure_mmhg - LEAK_TOLERANCE_MMHG
            ):
                self._raise_fault(FaultCode.LEAK)
        # A pressure sensor that does not move while the pump runs or the valve vents is stuck.
        expect_change = self._pump_on or (self._valve_open and reading > VENT_SAFE_MMHG)
        if not expect_change or abs(reading - self._reading_ref) >= SENSOR_MIN_CHANGE_MMHG:
            self._reading_ref = reading
            self._reading_ref_at = self._now
        elif self._now - self._reading_ref_at > SENSOR_STUCK_S:
            self._raise_fault(FaultCode.SENSOR_STUCK)
        if reading <= VENT_SAFE_MMHG:
            self._above_safe_since = None
            self._sensitive_run = False
            return
        if self._above_safe_since is None:
            self._above_safe_since = self._now
        if self._session is not None and self._session.step.zone in _SENSITIVE_ZONES:
            self._sensitive_run = True
        dwell_s = self._now - self._above_safe_since
        if dwell_s > MAX_CONTINUOUS_PRESSURE_S or (
            self._sensitive_run and dwell_s > SENSITIVE_MAX_CONTINUOUS_S
        ):
            self._raise_fault(FaultCode.PRESSURE_DWELL)

    def _finish_venting(self) -> None:
        if self._phase is Phase.VENTING and (
            self.measured_mmhg < VENT_DONE_MMHG or self._now - self._vent_started_at >= VENT_MAX_S
        ):
            self._phase = Phase.FAULT if self._fault else Phase.IDLE

    def _zone_max(self, zone: Zone) -> float:
        return min(self.limits.max_mmhg(zone), DEVICE_CEILING_MMHG[zone])

    # --- Session lifecycle -----------------------------------------------------------------------

    def _begin(self, session: _Session) -> None:
        session.started_at = self._now
        session.stage_started_at = self._now

    def _end_session(self, reason: StopReason) -> None:
        session, self._session = self._session, None
        if session is not None and session.started_at is not None:
            self._last_session_end = self._now
        self._stop_reason = reason
        self._vent()

    def _vent(self) -> None:
        self._pump_on = False
        self._valve_open = True
        self._phase = Phase.VENTING
        self._vent_started_at = self._now

    def _raise_fault(self, fault: FaultCode) -> None:
        if not self._fault:
            self._fault = fault
        if self._session is not None:
            self._end_session(StopReason.FAULT)
        elif self._phase is Phase.IDLE:
            # Venting or in FAULT, every valve is already open.
            self._vent()

    def _fault_cause_present(self) -> bool:
        return (
            self._stuck_reading is not None
            or math.isnan(self.measured_mmhg)
            or self._pressure >= HARDWARE_TRIP_MMHG
            or (
                self._fault is FaultCode.LOW_BATTERY
                and self.battery_level < CRITICAL_BATTERY_PERCENT
            )
        )

    def _try_clear_fault(self) -> ResultCode:
        if not self._fault:
            return ResultCode.SUCCESS
        if self._phase is Phase.VENTING:
            return ResultCode.BUSY
        if self._fault_cause_present():
            return ResultCode.FAULT_ACTIVE
        self._fault = FaultCode.NONE
        self._phase = Phase.IDLE
        return ResultCode.SUCCESS

    def _routine_remaining_s(self, session: _Session) -> float:
        step = session.step
        if session.started_at is None or session.paused_at is not None:
            into_cycle = 0.0
        else:
            into_cycle = self._now - session.stage_started_at
            if session.stage is not Phase.INFLATING:
                into_cycle += step.inflate_s
            if session.stage is Phase.RELEASING:
                into_cycle += step.hold_s
        current = step.cycle_s - into_cycle + (step.repetitions - session.repetition) * step.cycle_s
        later = sum(s.duration_s for s in session.steps[session.step_index + 1 :])
        return max(0.0, current + later)

    def _deadline_s(self, session: _Session) -> float:
        if session.started_at is None:
            return float(session.max_duration_s)
        return session.max_duration_s - (self._now - session.started_at)

    # --- Link ------------------------------------------------------------------------------------

    def _attach(self, link: VirtualMaskBackend) -> None:
        if not self.reachable:
            # A plain BleakError (not BleakDeviceNotFoundError) keeps bleak-retry-connector's
            # back-off short, so tests of an unreachable mask stay fast.
            raise BleakError(f"virtual mask {self.address} is out of range")
        if self._link is not None and self._link is not link:
            raise BleakError(f"{self.address} is already connected to another host")
        self._link = link
        self._linked_at = self._now
        self._reset_link_security()
        self._next_status_at = self._now

    def _detach(self, link: VirtualMaskBackend) -> None:
        if self._link is link:
            self._link_closed()

    def _reset_link_security(self) -> None:
        self._secure = None
        self._auth_slot = None
        self._handshakes = []
        self._bad_frames = 0
        self._pairing = None

    def _link_closed(self) -> None:
        self._link = None
        self._reset_link_security()
        # Never carry a session over a reconnect: the host must authenticate and start anew.
        if self._session is not None:
            self._raise_fault(FaultCode.LINK_LOST)

    def _emit_if_changed(self) -> bool:
        if _notable(self.status()) == self._last_emitted:
            return False
        self._emit_status()
        return True

    def _emit_status(self) -> None:
        status = self.status()
        self._last_emitted = _notable(status)
        busy = self._session is not None or self._phase is Phase.VENTING
        self._next_status_at = self._now + (
            self.status_interval_s if busy else IDLE_STATUS_INTERVAL_S
        )
        data = status.encode()
        if self._secure is not None:
            data = self._secure.sealer.seal(data)
        if self._link is not None and self._link.notify(STATUS_UUID, data):
            self.notified_status.append(status)
            self.status_frames.append(data)

    def read_characteristic(self, uuid: str) -> bytes:
        """Value of a readable characteristic."""
        readers: dict[str, Callable[[], bytes]] = {
            MODEL_NUMBER_UUID: self.info.model.encode,
            SERIAL_NUMBER_UUID: self.info.serial.encode,
            FIRMWARE_REVISION_UUID: self.info.firmware.encode,
            BATTERY_LEVEL_UUID: lambda: bytes((max(0, min(100, self.battery_level)),)),
            STATUS_UUID: lambda: self.status().encode(),
        }
        if (reader := readers.get(uuid)) is not None:
            return reader()
        raise BleakError(f"characteristic {uuid} is not readable")

    # --- Control point ---------------------------------------------------------------------------

    def write_control_point(self, data: bytes) -> None:
        """Handle one control point write exactly as the firmware would."""
        self.written_frames.append(data)
        try:
            frame = decode_frame(data)
        except FrameError:
            # A frame that cannot be trusted is dropped without an answer.
            self._reject_frame()
            return
        authentic = self._authentic(frame)
        if authentic is None:
            self._reject_frame()
            return
        try:
            command = decode_command(frame)
        except UnknownOpcodeError:
            self._respond(Response(frame.opcode, frame.seq, ResultCode.NOT_SUPPORTED))
            return
        except PayloadError:
            # Stop always wins: a STOP or VENT that passed framing acts, whatever its payload.
            if frame.opcode not in _STOP_ALWAYS_WINS:
                self._respond(Response(frame.opcode, frame.seq, ResultCode.INVALID_PARAMETER))
                return
            command = _STOP_ALWAYS_WINS[frame.opcode]
        self.received.append(command)
        if VirtualFault.STOP_RESPONDING in self._faults:
            return
        if command.NEEDS_AUTH and not authentic:
            result, payload = ResultCode.NOT_AUTHENTICATED, b""
        else:
            if authentic:
                # Only authenticated frames are signs of life.
                self._last_heartbeat = self._now
            result, payload = self._execute(command)
        self._respond(Response(frame.opcode, frame.seq, result, payload))
        self._after_response(command, result)
        self._emit_if_changed()

    def _authentic(self, frame: Frame) -> bool | None:
        """True for a sealed frame that opens, False for an allowed plain one, None: drop it."""
        secure = self._secure
        if secure is None:
            # Before authentication nothing is sealed (there is no key yet).
            return None if frame.sealed else False
        if frame.sealed:
            if not secure.opener.open(frame.plain, frame.trailer):
                return None
            self._bad_frames = 0  # a few rejected frames in a row drop the link
            return True
        # STOP and VENT are accepted from anyone, always; any other plain frame is dropped.
        return False if frame.opcode in (Opcode.STOP, Opcode.VENT) else None

    def _reject_frame(self) -> None:
        self._bad_frames += 1
        if self._bad_frames >= MAX_BAD_FRAMES:
            self.drop_link()

    def _after_response(self, command: Command, result: ResultCode) -> None:
        if isinstance(command, AuthFinish) and result is ResultCode.SUCCESS:
            (handshake,) = self._handshakes
            self._secure = SecureLink.for_mask(handshake.keys)
            self._auth_slot = handshake.slot
            self._handshakes = []
        elif isinstance(command, AuthFinish) and result is ResultCode.NOT_AUTHENTICATED:
            self._reject_frame()
        elif (
            isinstance(command, RevokeSlot)
            and result is ResultCode.SUCCESS
            and command.slot == self._auth_slot
        ):
            # This host's key is gone: so is its authenticated link.
            self.drop_link()

    def _respond(self, response: Response) -> None:
        frame = response.encode()
        if self._secure is not None:
            frame = self._secure.sealer.seal(frame)
        if VirtualFault.CORRUPT_FRAMES in self._faults and self._corrupt_remaining != 0:
            frame = frame[:-1] + bytes((frame[-1] ^ 0xFF,))
            if self._corrupt_remaining is not None:
                self._corrupt_remaining -= 1
        self.sent_frames.append(frame)
        if self._link is not None:
            self._link.notify(CONTROL_POINT_UUID, frame)

    def _execute(self, command: Command) -> tuple[ResultCode, bytes]:  # noqa: PLR0911, PLR0912
        match command:
            case Pair():
                return self._pair(command)
            case PairConfirm(host_proof=proof):
                return self._pair_confirm(proof)
            case AuthHello():
                return self._auth_hello(command)
            case AuthFinish(host_proof=proof):
                return self._auth_finish(proof)
            case StartSession():
                return self._start(command), b""
            case Stop() | Vent():
                if VirtualFault.IGNORE_STOP in self._faults:
                    return ResultCode.SUCCESS, b""
                if self._session is not None:
                    self._end_session(
                        StopReason.HOST_STOP if isinstance(command, Stop) else StopReason.HOST_VENT
                    )
                elif isinstance(command, Vent):
                    self._vent()
                return ResultCode.SUCCESS, b""
            case Pause():
                return self._pause(), b""
            case Resume():
                return self._resume(), b""
            case Heartbeat():
                return ResultCode.SUCCESS, b""
            case ClearFault():
                return self._try_clear_fault(), b""
            case SetLimits(limits=limits):
                return self._set_limits(limits), b""
            case ReadLimits():
                return ResultCode.SUCCESS, self.limits.encode()
            case ReadInfo():
                return ResultCode.SUCCESS, self.info.encode()
            case ReadStatus():
                return ResultCode.SUCCESS, self.status().encode()
            case ReadSlots():
                return ResultCode.SUCCESS, encode_slots(self.slots(self._auth_slot))
            case RevokeSlot(slot=slot):
                self._slots[slot] = None
                return ResultCode.SUCCESS, b""
        return ResultCode.NOT_SUPPORTED, b""

    # --- Pairing and authentication --------------------------------------------------------------

    def _pair(self, command: Pair) -> tuple[ResultCode, bytes]:
        if not self.pairing_mode:
            return ResultCode.PAIRING_MODE_REQUIRED, b""
        if self._secure is not None:
            return ResultCode.INVALID_STATE, b""
        free = [index for index, slot in enumerate(self._slots) if slot is None]
        if not free:
            return ResultCode.NO_FREE_SLOT, b""
        try:
            shared = key_agreement(self.identity_key, command.host_public)
        except ValueError:
            return ResultCode.INVALID_PARAMETER, b""
        transcript = PairingTranscript(
            command.host_public, command.host_nonce, self.identity_public, random_nonce()
        )
        # A new exchange replaces an open one: it needs its own button press.
        self._pairing = _PairingExchange(transcript, transcript.pairing_key(shared), free[0])
        offer = PairOffer(self.identity_public, transcript.device_nonce, free[0])
        return ResultCode.SUCCESS, offer.encode()

    def _pair_confirm(self, proof: bytes) -> tuple[ResultCode, bytes]:
        exchange = self._pairing
        if exchange is None:
            return ResultCode.INVALID_STATE, b""
        if not same(exchange.transcript.host_proof(exchange.pairing_key), proof):
            self._pairing = None
            return ResultCode.NOT_AUTHENTICATED, b""
        if not exchange.button_pressed:
            return ResultCode.AWAITING_BUTTON, b""
        host_key = slot_key(exchange.pairing_key, exchange.slot)
        if VirtualFault.WRONG_PAIRING_KEY in self._faults:
            host_key = bytes(b ^ 0xFF for b in host_key)
        self._slots[exchange.slot] = _HostSlot(host_key, host_id(exchange.transcript.host_public))
        self._pairing = None
        self._pairing_until = None
        return ResultCode.SUCCESS, exchange.transcript.device_proof(exchange.pairing_key)

    def _auth_hello(self, command: AuthHello) -> tuple[ResultCode, bytes]:
        if self._secure is not None:
            return ResultCode.INVALID_STATE, b""
        slot = self._slots[command.slot]
        if slot is None:
            return ResultCode.NOT_AUTHENTICATED, b""
        try:
            identity_secret = key_agreement(self.identity_key, command.ephemeral_public)
        except ValueError:
            return ResultCode.INVALID_PARAMETER, b""
        device_nonce = random_nonce()
        keys = SessionKeys.derive(
            slot.host_key,
            identity_secret,
            slot=command.slot,
            host_nonce=command.host_nonce,
            device_nonce=device_nonce,
            ephemeral_public=command.ephemeral_public,
        )
        # Several open handshakes, so one injected AUTH_HELLO cannot void the host's own.
        self._handshakes = [
            *self._handshakes[-(MAX_PENDING_HANDSHAKES - 1) :],
            _Handshake(command.slot, keys, command.host_nonce, device_nonce),
        ]
        offer = AuthOffer(device_nonce, keys.device_proof(command.host_nonce, device_nonce))
        return ResultCode.SUCCESS, offer.encode()

    def _auth_finish(self, proof: bytes) -> tuple[ResultCode, bytes]:
        if self._secure is not None:
            return ResultCode.INVALID_STATE, b""
        for handshake in self._handshakes:
            expected = handshake.keys.host_proof(handshake.host_nonce, handshake.device_nonce)
            if same(expected, proof) and self._slots[handshake.slot] is not None:
                # This answer is the last plain frame; _after_response switches to sealing.
                self._handshakes = [handshake]
                return ResultCode.SUCCESS, b""
        return ResultCode.NOT_AUTHENTICATED, b""

    def _start(self, command: StartSession) -> ResultCode:  # noqa: PLR0911
        if self._session is not None or self._phase is Phase.VENTING:
            return ResultCode.BUSY
        if self._fault:
            return ResultCode.FAULT_ACTIVE
        if self.low_battery:
            return ResultCode.LOW_BATTERY
        if (
            self._last_session_end is not None
            and self._now - self._last_session_end < self.limits.cooldown_s
        ):
            return ResultCode.COOLDOWN
        # The mask's own rule, whatever the host's settings say.
        if self.limits.require_button and not command.await_button:
            return ResultCode.BUTTON_REQUIRED
        # Reject, never clamp: a host that asks for more than allowed gets nothing.
        if command.max_duration_s > min(self.limits.max_session_s, DEVICE_MAX_SESSION_S):
            return ResultCode.LIMIT_EXCEEDED
        if any(step.pressure_mmhg > self._zone_max(step.zone) for step in command.steps):
            return ResultCode.LIMIT_EXCEEDED
        # Durations are summed in whole milliseconds, repetitions included, as they travel.
        if sum(_step_ms(step) for step in command.steps) > command.max_duration_s * 1000:
            return ResultCode.LIMIT_EXCEEDED
        # A step that must stay pressurised longer than the dwell limit could never complete.
        if any(
            step.zone is not Zone.NONE
            and _ms(step.inflate_s) + _ms(step.hold_s) > MAX_CONTINUOUS_PRESSURE_S * 1000
            for step in command.steps
        ):
            return ResultCode.LIMIT_EXCEEDED
        if any(
            step.zone in _SENSITIVE_ZONES
            and (
                _ms(step.inflate_s) + _ms(step.hold_s) > SENSITIVE_MAX_PRESSURISED_S * 1000
                or _ms(step.release_s) < max(_ms(step.hold_s), SENSITIVE_MIN_RELEASE_S * 1000)
            )
            for step in command.steps
        ):
            return ResultCode.LIMIT_EXCEEDED
        session = _Session(command.steps, command.max_duration_s, armed_at=self._now)
        self._session = session
        self._stop_reason = StopReason.NONE
        self._cycles_completed = 0
        self._phase = Phase.IDLE
        self._last_heartbeat = self._now
        if not command.await_button:
            self._begin(session)
        return ResultCode.SUCCESS

    def _pause(self) -> ResultCode:
        session = self._session
        if session is None or session.paused_at is not None:
            return ResultCode.INVALID_STATE
        if session.started_at is None:
            return ResultCode.AWAITING_BUTTON
        session.paused_at = self._now
        self._valve_open = True
        self._pump_on = False
        return ResultCode.SUCCESS

    def _resume(self) -> ResultCode:
        session = self._session
        if session is None:
            return ResultCode.INVALID_STATE
        if session.started_at is None:
            return ResultCode.AWAITING_BUTTON
        if session.paused_at is None:
            return ResultCode.INVALID_STATE
        # The interrupted repetition starts again from an empty bladder.
        session.paused_at = None
        session.stage = Phase.INFLATING
        session.stage_started_at = self._now
        return ResultCode.SUCCESS

    def _set_limits(self, limits: DeviceLimits) -> ResultCode:
        if self._session is not None:
            return ResultCode.BUSY
        if (
            limits.face_max_mmhg > FACE_CEILING_MMHG
            or limits.under_eye_max_mmhg > UNDER_EYE_CEILING_MMHG
            or limits.neck_max_mmhg > NECK_CEILING_MMHG
            or limits.max_session_s > DEVICE_MAX_SESSION_S
        ):
            return ResultCode.LIMIT_EXCEEDED
        if limits.loosens(self.limits):
            # Only a person at the mask can allow more: kept until the next short press.
            self._pending_limits = limits
            return ResultCode.AWAITING_BUTTON
        self.limits = limits
        self._pending_limits = None
        return ResultCode.SUCCESS


# --- bleak backend -----------------------------------------------------------------------------


def _build_services(max_write: Callable[[], int]) -> BleakGATTServiceCollection:
    layout: tuple[tuple[str, tuple[tuple[str, list[Any]], ...]], ...] = (
        (
            MASK_SERVICE_UUID,
            ((CONTROL_POINT_UUID, ["write", "indicate"]), (STATUS_UUID, ["read", "notify"])),
        ),
        (
            DEVICE_INFORMATION_SERVICE_UUID,
            (
                (MODEL_NUMBER_UUID, ["read"]),
                (SERIAL_NUMBER_UUID, ["read"]),
                (FIRMWARE_REVISION_UUID, ["read"]),
            ),
        ),
        (BATTERY_SERVICE_UUID, ((BATTERY_LEVEL_UUID, ["read"]),)),
    )
    collection = BleakGATTServiceCollection()
    handle = 1
    for service_uuid, characteristics in layout:
        service = BleakGATTService(None, handle, service_uuid)
        collection.add_service(service)
        for char_uuid, properties in characteristics:
            handle += 2
            collection.add_characteristic(
                BleakGATTCharacteristic(None, handle, char_uuid, properties, max_write, service)
            )
        handle += 1
    return collection


class VirtualMaskBackend(BaseBleakClient):
    """bleak client backend that reaches a registered VirtualMask by address.

    Use it as `BleakClient(device, backend=VirtualMaskBackend)`, as `client_kwargs={"backend":
    VirtualMaskBackend}` of MaskClient, or as the `client` of a habluetooth HaBluetoothConnector.
    """

    def __init__(self, address_or_ble_device: BLEDevice | str, **kwargs: Any) -> None:
        """Accept the keyword arguments bleak and Home Assistant's wrapper pass."""
        kwargs.setdefault("timeout", 10.0)
        super().__init__(address_or_ble_device, **kwargs)
        self._mask: VirtualMask | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._subscriptions: dict[str, NotifyCallback] = {}

    @property
    def name(self) -> str:
        """Name of the mask."""
        mask = get_virtual_mask(self.address)
        return self.address if mask is None else mask.name

    @property
    def mtu_size(self) -> int:
        """Negotiated MTU."""
        return MTU

    @property
    def is_connected(self) -> bool:
        """The mask holds this link."""
        return self._mask is not None

    async def connect(self, pair: bool, **kwargs: Any) -> None:  # noqa: FBT001 - bleak's signature
        """Connect to the mask registered at this address."""
        del pair, kwargs  # the virtual mask uses application-layer authentication only
        mask = get_virtual_mask(self.address)
        if mask is None:
            raise BleakError(f"no virtual mask registered at {self.address}")
        mask._attach(self)
        self._mask = mask
        self._loop = asyncio.get_running_loop()
        self._subscriptions.clear()
        self.services = _build_services(lambda: MTU - 3)

    async def disconnect(self) -> None:
        """Host-initiated disconnect (no disconnected callback, as in bleak)."""
        mask, self._mask = self._mask, None
        if mask is not None:
            mask._detach(self)

    def link_dropped(self) -> None:
        """Called by the mask when the link drops under the host."""
        self._mask = None
        if self._disconnected_callback is not None and self._loop is not None:
            self._loop.call_soon(self._disconnected_callback)

    def notify(self, uuid: str, data: bytes) -> bool:
        """Deliver a notification or indication if the host subscribed; True if delivered."""
        callback = self._subscriptions.get(uuid)
        if callback is None or self._loop is None:
            return False
        self._loop.call_soon(callback, bytearray(data))
        return True

    def _connected_mask(self) -> VirtualMask:
        if self._mask is None:
            raise BleakError("Not connected")
        return self._mask

    async def pair(self, *args: Any, **kwargs: Any) -> None:
        """OS-level pairing is not part of the protocol."""
        raise BleakError("the pressure mask does not use OS-level pairing")

    async def unpair(self) -> None:
        """OS-level pairing is not part of the protocol."""
        raise BleakError("the pressure mask does not use OS-level pairing")

    async def read_gatt_char(
        self, characteristic: BleakGATTCharacteristic, *, use_cached: bool = False, **kwargs: Any
    ) -> bytearray:
        """Read a characteristic from the mask."""
        return bytearray(self._connected_mask().read_characteristic(characteristic.uuid))

    async def write_gatt_char(
        self,
        characteristic: BleakGATTCharacteristic,
        data: SizedBuffer,
        response: bool,  # noqa: FBT001 - bleak's signature
    ) -> None:
        """Write to the control point."""
        mask = self._connected_mask()
        if characteristic.uuid != CONTROL_POINT_UUID:
            raise BleakError(f"characteristic {characteristic.uuid} is not writable")
        mask.write_control_point(bytes(data))

    async def read_gatt_descriptor(
        self, descriptor: BleakGATTDescriptor, *, use_cached: bool = False, **kwargs: Any
    ) -> bytearray:
        """The mask exposes no readable descriptors."""
        raise BleakError("no descriptors")

    async def write_gatt_descriptor(
        self, descriptor: BleakGATTDescriptor, data: SizedBuffer
    ) -> None:
        """The mask exposes no writable descriptors."""
        raise BleakError("no descriptors")

    async def start_notify(
        self, characteristic: BleakGATTCharacteristic, callback: NotifyCallback, **kwargs: Any
    ) -> None:
        """Subscribe to the status (notify) or control point (indicate)."""
        self._connected_mask()
        if characteristic.uuid not in (STATUS_UUID, CONTROL_POINT_UUID):
            raise BleakError(f"characteristic {characteristic.uuid} does not notify")
        self._subscriptions[characteristic.uuid] = callback

    async def stop_notify(self, characteristic: BleakGATTCharacteristic) -> None:
        """Unsubscribe."""
        self._subscriptions.pop(characteristic.uuid, None)
