"""Sensors: the status and readiness, live session state, the session history and its totals.

Live values keep their last known value when the link closes as planned (an idle mask reads
idle, not unknown); after an unplanned link loss the coordinator forgets the status, so they
read unknown rather than a pressure that may no longer be true.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
    EntityCategory,
    UnitOfPressure,
    UnitOfTime,
)
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util

from .const import PRESSURE_WRITE_INTERVAL_S
from .coordinator import (
    HOST_FAULT_OVER_PRESSURE,
    HOST_FAULT_STOP_UNCONFIRMED,
    PressureMaskConfigEntry,
    PressureMaskCoordinator,
)
from .entity import PressureMaskEntityDescription, PressureMaskValueEntity
from .mask_ble.const import FaultCode, Phase, Zone
from .safety import status_limit_mmhg
from .states import (
    MaskStatus,
    StartReadiness,
    current_zone_limit_mmhg,
    mask_status,
    readiness_attributes,
    session_time_attributes,
    start_readiness,
    status_attributes,
    zone_limit_attributes,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .mask_ble.codec import Status

# Read-only platform: entities never send commands.
PARALLEL_UPDATES = 0

FAULT_NONE = "none"
FAULT_OPTIONS = [
    FAULT_NONE,
    *(fault.name.lower() for fault in FaultCode if fault),
    HOST_FAULT_OVER_PRESSURE,
    HOST_FAULT_STOP_UNCONFIRMED,
]


@dataclass(frozen=True, kw_only=True)
class PressureMaskSensorDescription(SensorEntityDescription, PressureMaskEntityDescription):
    """A sensor and where its value and attributes come from."""

    attributes_fn: Callable[[PressureMaskCoordinator], dict[str, Any]] | None = None


def _from_status(read: Callable[[Status], Any]) -> Callable[[PressureMaskCoordinator], Any]:
    """A value read from the last status (kept through a planned idle disconnect)."""

    def value(coordinator: PressureMaskCoordinator) -> Any:
        status = coordinator.status
        return None if status is None else read(status)

    return value


PRESSURE = PressureMaskSensorDescription(
    key="pressure",
    translation_key="pressure",
    device_class=SensorDeviceClass.PRESSURE,
    state_class=SensorStateClass.MEASUREMENT,
    native_unit_of_measurement=UnitOfPressure.MMHG,
    suggested_display_precision=0,
    value_fn=_from_status(lambda status: status.pressure_mmhg),
)

STATUS = PressureMaskSensorDescription(
    key="status",
    translation_key="status",
    device_class=SensorDeviceClass.ENUM,
    options=[state.value for state in MaskStatus],
    host_side=True,
    value_fn=mask_status,
    attributes_fn=status_attributes,
)

SENSORS: tuple[PressureMaskSensorDescription, ...] = (
    PressureMaskSensorDescription(
        key="start_readiness",
        translation_key="start_readiness",
        device_class=SensorDeviceClass.ENUM,
        options=[state.value for state in StartReadiness],
        host_side=True,
        value_fn=start_readiness,
        attributes_fn=readiness_attributes,
    ),
    PressureMaskSensorDescription(
        key="zone_limit",
        translation_key="zone_limit",
        device_class=SensorDeviceClass.PRESSURE,
        native_unit_of_measurement=UnitOfPressure.MMHG,
        suggested_display_precision=0,
        host_side=True,
        value_fn=current_zone_limit_mmhg,
        attributes_fn=zone_limit_attributes,
    ),
    PressureMaskSensorDescription(
        key="session_peak_pressure",
        translation_key="session_peak_pressure",
        device_class=SensorDeviceClass.PRESSURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPressure.MMHG,
        suggested_display_precision=0,
        host_side=True,
        value_fn=lambda coordinator: coordinator.session_peak_mmhg,
    ),
    PressureMaskSensorDescription(
        key="phase",
        translation_key="phase",
        device_class=SensorDeviceClass.ENUM,
        options=[phase.name.lower() for phase in Phase],
        value_fn=_from_status(lambda status: status.phase.name.lower()),
    ),
    PressureMaskSensorDescription(
        key="zone",
        translation_key="zone",
        device_class=SensorDeviceClass.ENUM,
        options=[zone.name.lower() for zone in Zone],
        value_fn=_from_status(lambda status: status.zone.name.lower()),
    ),
    PressureMaskSensorDescription(
        key="cycles_completed",
        translation_key="cycles_completed",
        value_fn=_from_status(lambda status: status.cycles_completed),
    ),
    PressureMaskSensorDescription(
        key="session_remaining",
        translation_key="session_remaining",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        value_fn=_from_status(lambda status: status.remaining_s),
        attributes_fn=session_time_attributes,
    ),
    PressureMaskSensorDescription(
        key="session_elapsed",
        translation_key="session_elapsed",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        value_fn=_from_status(lambda status: status.elapsed_s),
    ),
    PressureMaskSensorDescription(
        key="battery",
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda coordinator: coordinator.battery_percent,
    ),
    PressureMaskSensorDescription(
        key="signal_strength",
        device_class=SensorDeviceClass.SIGNAL_STRENGTH,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=SIGNAL_STRENGTH_DECIBELS_MILLIWATT,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda coordinator: coordinator.rssi,
    ),
    PressureMaskSensorDescription(
        key="fault",
        translation_key="fault",
        device_class=SensorDeviceClass.ENUM,
        options=FAULT_OPTIONS,
        value_fn=lambda coordinator: coordinator.fault or FAULT_NONE,
    ),
    PressureMaskSensorDescription(
        key="sessions_today",
        translation_key="sessions_today",
        host_side=True,
        value_fn=lambda coordinator: coordinator.sessions_today,
        attributes_fn=lambda coordinator: {"daily_cap": coordinator.limits.max_sessions_per_day},
    ),
    PressureMaskSensorDescription(
        key="sessions_total",
        translation_key="sessions_total",
        state_class=SensorStateClass.TOTAL_INCREASING,
        host_side=True,
        value_fn=lambda coordinator: coordinator.history.sessions_total,
    ),
    PressureMaskSensorDescription(
        key="therapy_time_total",
        translation_key="therapy_time_total",
        device_class=SensorDeviceClass.DURATION,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        suggested_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_display_precision=0,
        host_side=True,
        value_fn=lambda coordinator: coordinator.history.therapy_time_total_s,
    ),
    PressureMaskSensorDescription(
        key="last_session",
        translation_key="last_session",
        device_class=SensorDeviceClass.TIMESTAMP,
        host_side=True,
        value_fn=lambda coordinator: coordinator.last_session,
    ),
    PressureMaskSensorDescription(
        key="cooldown_ends",
        translation_key="cooldown_ends",
        device_class=SensorDeviceClass.TIMESTAMP,
        host_side=True,
        value_fn=lambda coordinator: coordinator.cooldown_ends,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PressureMaskConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the mask's sensors."""
    coordinator = entry.runtime_data
    async_add_entities(
        [
            PressureSensor(coordinator, PRESSURE),
            StatusSensor(coordinator, STATUS),
            *(PressureMaskSensor(coordinator, description) for description in SENSORS),
        ]
    )


class PressureMaskSensor(PressureMaskValueEntity, SensorEntity):
    """A sensor of the mask."""

    entity_description: PressureMaskSensorDescription

    @property
    @override
    def native_value(self) -> str | int | float | datetime | None:
        """The value from the coordinator."""
        value: str | int | float | datetime | None = self.entity_description.value_fn(
            self.coordinator
        )
        return value

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The description's attributes, if it has any."""
        attributes_fn = self.entity_description.attributes_fn
        return None if attributes_fn is None else attributes_fn(self.coordinator)

    @override
    def _current_value(self) -> Any:
        # Attributes are part of what is written: a change of step alone is a new state.
        return (super()._current_value(), self.extra_state_attributes)


class StatusSensor(PressureMaskSensor):
    """The one status; its per-second position in the session stays out of the recorder."""

    _unrecorded_attributes = frozenset(
        {"step", "steps", "repetition", "repetitions", "breath", "breaths", "breathing_phase"}
    )


class PressureSensor(PressureMaskSensor):
    """The live pressure: light on the recorder, but no safety-relevant reading is thinned away.

    Status notifications arrive several times a second; each is checked by the coordinator's
    supervision whatever this entity writes. Writes are at most one per PRESSURE_WRITE_INTERVAL_S,
    and each shows the highest reading since the previous write (so every session's maximum is
    in the history), then settles on the latest reading an interval later. A reading above the
    limit of its zone is written at once, as is a change of availability.
    """

    _last_write: datetime | None = None
    _cancel_trailing: CALLBACK_TYPE | None = None
    # The highest reading not yet written, and the value the state shows.
    _peak: float | None = None
    _shown: float | None = None

    @property
    @override
    def native_value(self) -> float | None:
        """The reading this entity last chose to write."""
        return self._shown

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        reading = self._reading()
        if reading is not None:
            self._peak = reading if self._peak is None else max(self._peak, reading)
        availability_changed = self._written is None or self._written[0] != self.available
        if availability_changed or self._over_limit(reading):
            self._write()
            return
        if self._cancel_trailing is not None:
            return
        if self._last_write is not None:
            wait_s = (
                PRESSURE_WRITE_INTERVAL_S - (dt_util.utcnow() - self._last_write).total_seconds()
            )
            if wait_s > 0:
                self._cancel_trailing = async_call_later(self.hass, wait_s, self._async_trailing)
                return
        self._write()

    def _reading(self) -> float | None:
        reading: float | None = self.entity_description.value_fn(self.coordinator)
        return reading

    def _over_limit(self, reading: float | None) -> bool:
        status = self.coordinator.status
        return (
            reading is not None
            and status is not None
            and reading > status_limit_mmhg(status.zone, self.coordinator.limits)
        )

    @callback
    def _write(self) -> None:
        if self._cancel_trailing is not None:
            self._cancel_trailing()
            self._cancel_trailing = None
        reading = self._reading()
        self._shown = None if reading is None else self._peak
        self._peak = reading
        self._last_write = dt_util.utcnow()
        snapshot = (self.available, self._shown)
        if snapshot != self._written:
            self._written = snapshot
            self.async_write_ha_state()
        if reading is not None and reading != self._shown:
            # A peak was shown: settle on the latest reading an interval later.
            self._cancel_trailing = async_call_later(
                self.hass, PRESSURE_WRITE_INTERVAL_S, self._async_trailing
            )

    @callback
    def _async_trailing(self, _now: datetime) -> None:
        self._cancel_trailing = None
        self._write()

    @override
    async def async_will_remove_from_hass(self) -> None:
        """Drop a pending trailing write."""
        if self._cancel_trailing is not None:
            self._cancel_trailing()
            self._cancel_trailing = None
        await super().async_will_remove_from_hass()
