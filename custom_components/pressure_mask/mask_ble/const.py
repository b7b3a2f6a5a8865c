"""Constants of the pressure mask BLE protocol, version 2.

Everything a host and a mask must agree on lives here: identifiers, enums that travel on the
wire, and the absolute limits the mask enforces whatever the host says. docs/protocol.md is the
prose version of this module.
"""

from __future__ import annotations

from enum import IntEnum, IntFlag
from typing import Final

# Major protocol version. Bumped only for changes an older host cannot safely ignore; a host
# must refuse to control a mask that reports a newer major version.
PROTOCOL_VERSION: Final = 2

# 128-bit UUIDs of the mask service (random base, not derived from the Bluetooth SIG base).
MASK_SERVICE_UUID: Final = "7e1a0001-5f3c-4b8e-9d2a-6c1b0e4f8a31"
CONTROL_POINT_UUID: Final = "7e1a0002-5f3c-4b8e-9d2a-6c1b0e4f8a31"
STATUS_UUID: Final = "7e1a0003-5f3c-4b8e-9d2a-6c1b0e4f8a31"

# Standard services the mask also exposes.
DEVICE_INFORMATION_SERVICE_UUID: Final = "0000180a-0000-1000-8000-00805f9b34fb"
MODEL_NUMBER_UUID: Final = "00002a24-0000-1000-8000-00805f9b34fb"
SERIAL_NUMBER_UUID: Final = "00002a25-0000-1000-8000-00805f9b34fb"
FIRMWARE_REVISION_UUID: Final = "00002a26-0000-1000-8000-00805f9b34fb"
BATTERY_SERVICE_UUID: Final = "0000180f-0000-1000-8000-00805f9b34fb"
BATTERY_LEVEL_UUID: Final = "00002a19-0000-1000-8000-00805f9b34fb"

LOCAL_NAME_PREFIX: Final = "PMASK"

# 0xFFFF is the company identifier the Bluetooth SIG reserves for testing and for devices whose
# maker has no assigned identifier. It must not ship in a commercial product: a maker replaces it
# with its own identifier. Because other test devices may use it too, the payload starts with the
# two-byte MANUFACTURER_DATA_MAGIC and a host ignores 0xFFFF data without it.
MANUFACTURER_ID: Final = 0xFFFF
MANUFACTURER_DATA_MAGIC: Final = b"PM"

# Device absolute ceilings. The mask never exceeds these whatever limits a host sets.
FACE_CEILING_MMHG: Final = 40.0
UNDER_EYE_CEILING_MMHG: Final = 20.0
NECK_CEILING_MMHG: Final = 25.0
DEVICE_MAX_SESSION_S: Final = 20 * 60
# The independent over-pressure trip (a pressure switch outside the MCU in real hardware).
HARDWARE_TRIP_MMHG: Final = 45.0
# A bladder below this pressure counts as vented.
VENT_SAFE_MMHG: Final = 5.0
# Time the mask has to get below VENT_SAFE_MMHG after a link drop or a heartbeat timeout.
VENT_DEADLINE_S: Final = 3.0
# Firmware over-pressure check: tolerated overshoot above the step's zone limit.
OVER_PRESSURE_MARGIN_MMHG: Final = 3.0
# A bladder may not stay above VENT_SAFE_MMHG for longer than this without releasing.
MAX_CONTINUOUS_PRESSURE_S: Final = 60.0
# Under-eye and neck (docs/protocol.md section 9, item 11): a step inflates and holds for at most
# SENSITIVE_MAX_PRESSURISED_S per repetition and releases for at least as long as it holds and
# at least SENSITIVE_MIN_RELEASE_S (the vent deadline); while such a step runs, a reading above
# VENT_SAFE_MMHG for longer than SENSITIVE_MAX_CONTINUOUS_S in a row (the pressurised bound plus
# the vent deadline) is a PRESSURE_DWELL fault.
SENSITIVE_MAX_PRESSURISED_S: Final = 5.0
SENSITIVE_MIN_RELEASE_S: Final = 3.0
SENSITIVE_MAX_CONTINUOUS_S: Final = 8.0

HEARTBEAT_INTERVAL_S: Final = 1.0
HEARTBEAT_TIMEOUT_S: Final = 3.0
# An armed session not confirmed by a button press within this time is cancelled.
ARM_TIMEOUT_S: Final = 120
# A paused session not resumed within this time ends.
PAUSE_TIMEOUT_S: Final = 60
# Pairing mode lasts this long after a button hold of BUTTON_HOLD_PAIRING_S.
PAIRING_WINDOW_S: Final = 30
BUTTON_HOLD_PAIRING_S: Final = 3.0
# The mask's button, by how long it is held (docs/protocol.md section 9, item 8). Shorter than
# BUTTON_DEBOUNCE_MS is contact bounce; up to BUTTON_SHORT_PRESS_MAX_MS is a clean short press;
# from BUTTON_LONG_PRESS_MS a long press. Only a clean short press starts an armed session.
BUTTON_DEBOUNCE_MS: Final = 50
BUTTON_SHORT_PRESS_MAX_MS: Final = 1000
BUTTON_LONG_PRESS_MS: Final = 3000
# Battery: below LOW_BATTERY_PERCENT the mask flags low battery and refuses to start; below
# CRITICAL_BATTERY_PERCENT it ends a running session with a fault.
LOW_BATTERY_PERCENT: Final = 15
CRITICAL_BATTERY_PERCENT: Final = 5

# Security (protocol version 2, mask_ble/secure.py): X25519 public keys, nonces, truncated
# HMAC-SHA256 proofs, the per-host key, and the trailer of a sealed frame (counter and tag).
PUBLIC_KEY_LENGTH: Final = 32
NONCE_LENGTH: Final = 16
PROOF_LENGTH: Final = 16
HOST_KEY_LENGTH: Final = 32
COUNTER_LENGTH: Final = 4
HOST_ID_LENGTH: Final = 8
TAG_LENGTH: Final = 8
# The mask keeps one key per paired host in this many slots.
KEY_SLOTS: Final = 4
# A link that has not authenticated (or is not pairing) within this time is dropped.
AUTH_TIMEOUT_S: Final = 10.0
# This many rejected frames in a row on one link (bad tag, old counter, unsealed) drop it.
MAX_BAD_FRAMES: Final = 3
# Handshakes a mask keeps open per link, so an injected AUTH_HELLO cannot void the host's.
MAX_PENDING_HANDSHAKES: Final = 4

# Wire-format capacities (structural, not policy).
MAX_STEPS: Final = 24
MAX_PHASE_MS: Final = 0xFFFF
MAX_REPETITIONS: Final = 0xFF
MAX_FRAME_PAYLOAD: Final = 0xFF
# Target pressures travel as SFLOAT with exponent -1 (0.1 mmHg resolution).
MAX_TARGET_MMHG: Final = 204.5

STATUS_INTERVAL_S: Final = 0.25


class Zone(IntEnum):
    """Bladder zones of the mask. NONE is a step without pressure (breathing, warm-up)."""

    NONE = 0
    FOREHEAD = 1
    TEMPLES = 2
    UNDER_EYE = 3
    CHEEKS = 4
    JAW = 5
    NECK = 6


DEVICE_CEILING_MMHG: Final[dict[Zone, float]] = {
    Zone.NONE: 0.0,
    Zone.FOREHEAD: FACE_CEILING_MMHG,
    Zone.TEMPLES: FACE_CEILING_MMHG,
    Zone.UNDER_EYE: UNDER_EYE_CEILING_MMHG,
    Zone.CHEEKS: FACE_CEILING_MMHG,
    Zone.JAW: FACE_CEILING_MMHG,
    Zone.NECK: NECK_CEILING_MMHG,
}


class Phase(IntEnum):
    """What the mask is doing."""

    IDLE = 0
    ARMED = 1
    INFLATING = 2
    HOLDING = 3
    RELEASING = 4
    PAUSED = 5
    VENTING = 6
    FAULT = 7


class Opcode(IntEnum):
    """Control point opcodes. RESPONSE is only sent by the mask."""

    PAIR = 0x01
    AUTH_HELLO = 0x02
    AUTH_FINISH = 0x03
    PAIR_CONFIRM = 0x04
    START_SESSION = 0x10
    STOP = 0x11
    PAUSE = 0x12
    RESUME = 0x13
    VENT = 0x14
    HEARTBEAT = 0x15
    CLEAR_FAULT = 0x16
    SET_LIMITS = 0x20
    READ_LIMITS = 0x21
    READ_INFO = 0x22
    READ_STATUS = 0x23
    READ_SLOTS = 0x24
    REVOKE_SLOT = 0x25
    RESPONSE = 0x80


class ResultCode(IntEnum):
    """Result of a request, carried in every response."""

    SUCCESS = 0x01
    NOT_SUPPORTED = 0x02
    INVALID_PARAMETER = 0x03
    INVALID_STATE = 0x04
    NOT_AUTHENTICATED = 0x05
    LIMIT_EXCEEDED = 0x06
    COOLDOWN = 0x07
    FAULT_ACTIVE = 0x08
    AWAITING_BUTTON = 0x09
    BUSY = 0x0A
    PAIRING_MODE_REQUIRED = 0x0B
    LOW_BATTERY = 0x0C
    BUTTON_REQUIRED = 0x0D
    NO_FREE_SLOT = 0x0E


class FaultCode(IntEnum):
    """Latched fault. The mask vents when a fault occurs and refuses to start until cleared."""

    NONE = 0
    OVER_PRESSURE = 1
    SENSOR_STUCK = 2
    LEAK = 3
    LINK_LOST = 4
    HEARTBEAT_TIMEOUT = 5
    LOW_BATTERY = 6
    HARDWARE_TRIP = 7
    PRESSURE_DWELL = 8


class StopReason(IntEnum):
    """Why the last session ended (NONE until a session has ended)."""

    NONE = 0
    COMPLETED = 1
    HOST_STOP = 2
    HOST_VENT = 3
    BUTTON = 4
    DEADLINE = 5
    FAULT = 6
    ARM_EXPIRED = 7
    PAUSE_EXPIRED = 8


class StatusFlags(IntFlag):
    """Flags byte of the status characteristic."""

    NONE = 0
    SESSION_ACTIVE = 0x01
    AUTHENTICATED = 0x02
    PAIRING_MODE = 0x04
    LOW_BATTERY = 0x08
    VALVE_OPEN = 0x10
    PUMP_ON = 0x20


class AdvertisementFlags(IntFlag):
    """Flags byte of the manufacturer data."""

    NONE = 0
    PAIRING_MODE = 0x01
    SESSION_ACTIVE = 0x02
    FAULT = 0x04
    LOW_BATTERY = 0x08
