"""Services: start a routine, run a custom routine, stop one mask, stop every mask.

Schemas check shape and type only (strictly: unknown keys, booleans as numbers, NaN and
infinities, null, lists and mappings where a number or a name belongs are refused before anything
happens, with a translated validation error that names the field). Whether a request is *allowed* is the safety
policy's decision, made by the coordinator, so a refusal names the rule and the limit exactly as
it does for the dashboard buttons. No service takes a limit: limits live in the options flow.
"""

from __future__ import annotations

import asyncio
import math
from typing import TYPE_CHECKING, Any, Final, override

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import (
    Context,
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import service
import probatio

from .blueprint import async_install_blueprints
from .const import DOMAIN, SOURCE_AUTOMATION, SOURCE_UI
from .coordinator import StartRefusedError
from .mask_ble.const import MAX_REPETITIONS, MAX_STEPS, Zone
from .mask_ble.routines import MAX_PHASE_S, Step

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from .coordinator import PressureMaskConfigEntry, PressureMaskCoordinator

SERVICE_START_SESSION: Final = "start_session"
SERVICE_RUN_CUSTOM_ROUTINE: Final = "run_custom_routine"
SERVICE_STOP_SESSION: Final = "stop_session"
SERVICE_STOP_ALL: Final = "stop_all"

ATTR_ROUTINE: Final = "routine"
ATTR_PRESSURE: Final = "pressure"
ATTR_DURATION: Final = "duration"
ATTR_STEPS: Final = "steps"
ATTR_ZONE: Final = "zone"
ATTR_INFLATE: Final = "inflate"
ATTR_HOLD: Final = "hold"
ATTR_RELEASE: Final = "release"
ATTR_REPETITIONS: Final = "repetitions"

# Zones by the names people write in YAML: "forehead", "under_eye", "none" (a breathing step).
ZONE_NAMES: Final = {zone.name.lower(): zone for zone in Zone}


def _finite(value: Any) -> float:
    """A real number: an int, a float or a numeric string; never a boolean, NaN or infinite."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise probatio.Invalid(f"expected a number, got {type(value).__name__}")
    try:
        number = float(value)
    except ValueError as err:
        raise probatio.Invalid("expected a number") from err
    if not math.isfinite(number):
        raise probatio.Invalid("expected a finite number")
    return number


def _number(minimum: float, maximum: float) -> probatio.All[float]:
    """A real number (not a boolean, not NaN or infinite) within minimum..maximum."""
    return probatio.All(_finite, probatio.Range(min=minimum, max=maximum))


def _whole_number(minimum: int, maximum: int) -> probatio.All[int]:
    """A whole number within minimum..maximum (2.0 is accepted, 2.5, "2", inf and True are not)."""

    def whole(value: Any) -> int:
        if isinstance(value, str) or _finite(value) != int(value):
            raise probatio.Invalid("expected a whole number")
        return int(value)

    return probatio.All(whole, probatio.Range(min=minimum, max=maximum))


def _name(value: Any) -> str:
    """A routine, zone or device name: a string (numbers are not names)."""
    if not isinstance(value, str):
        raise probatio.Invalid(f"expected a name, got {type(value).__name__}")
    return value


def _list(value: Any) -> list[Any]:
    """A list as given (a mapping or a string is not turned into one)."""
    if not isinstance(value, list):
        raise probatio.Invalid(f"expected a list, got {type(value).__name__}")
    return value


class _TranslatedSchema(probatio.Schema):
    """A service schema whose refusals are translated validation errors naming the field."""

    @override
    def __call__(self, data: Any, **kwargs: Any) -> Any:
        """Validate; a wrong shape or type raises ServiceValidationError, never a raw error."""
        try:
            return super().__call__(data, **kwargs)
        except probatio.Invalid as err:
            field = ".".join(str(part) for part in err.path) or "-"
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="invalid_service_data",
                translation_placeholders={"field": field, "error": err.error_message},
            ) from err


# Bounds here are what can be meant at all, not what is allowed: the policy refuses anything above
# the configured limits with the rule and the limit in the message.
_PRESSURE_MMHG = _number(0, 1000)
_DURATION_MIN = _number(0, 24 * 60)
_PHASE_S = _number(0, MAX_PHASE_S)

START_SESSION_SCHEMA: Final = _TranslatedSchema(
    {
        probatio.Required(ATTR_DEVICE_ID): _name,
        probatio.Required(ATTR_ROUTINE): _name,
        probatio.Optional(ATTR_PRESSURE): _PRESSURE_MMHG,
        probatio.Optional(ATTR_DURATION): _DURATION_MIN,
    }
)

STEP_SCHEMA: Final = probatio.Schema(
    {
        probatio.Required(ATTR_ZONE): probatio.All(_name, probatio.In(ZONE_NAMES)),
        probatio.Required(ATTR_PRESSURE): _PRESSURE_MMHG,
        probatio.Required(ATTR_INFLATE): _PHASE_S,
        probatio.Required(ATTR_HOLD): _PHASE_S,
        probatio.Required(ATTR_RELEASE): _PHASE_S,
        probatio.Required(ATTR_REPETITIONS): _whole_number(1, MAX_REPETITIONS),
    }
)

RUN_CUSTOM_ROUTINE_SCHEMA: Final = _TranslatedSchema(
    {
        probatio.Required(ATTR_DEVICE_ID): _name,
        probatio.Required(ATTR_STEPS): probatio.All(
            _list, probatio.Length(min=1, max=MAX_STEPS), [STEP_SCHEMA]
        ),
        probatio.Optional(ATTR_DURATION): _DURATION_MIN,
    }
)

STOP_SESSION_SCHEMA: Final = _TranslatedSchema({probatio.Required(ATTR_DEVICE_ID): _name})
STOP_ALL_SCHEMA: Final = _TranslatedSchema({})


def request_source(context: Context | None) -> str:
    """ "ui" for a person acting in the frontend, "automation" for anything else.

    A person's call carries their user id and no parent; automations and scripts run in a
    context without a user, or with a parent (the trigger).
    """
    if context is not None and context.user_id is not None and context.parent_id is None:
        return SOURCE_UI
    return SOURCE_AUTOMATION


def step_from_data(data: dict[str, Any]) -> Step:
    """A routine step from one validated step of run_custom_routine."""
    return Step(
        zone=ZONE_NAMES[data[ATTR_ZONE]],
        pressure_mmhg=data[ATTR_PRESSURE],
        inflate_s=data[ATTR_INFLATE],
        hold_s=data[ATTR_HOLD],
        release_s=data[ATTR_RELEASE],
        repetitions=data[ATTR_REPETITIONS],
    )


@callback
def _coordinator_for(call: ServiceCall) -> PressureMaskCoordinator:
    entry: PressureMaskConfigEntry
    _, entry = service.async_get_device_and_config_entry(
        call.hass, DOMAIN, call.data[ATTR_DEVICE_ID]
    )
    return entry.runtime_data


async def _async_started(call: ServiceCall, start: Awaitable[None]) -> ServiceResponse:
    """Run a start; asked for a response, a refusal is answered instead of raised.

    The response is {"started": bool, "reason": rule or None, "message": full reason or None},
    so an automation can tell the person why without a failed action in its log.
    """
    try:
        await start
    except StartRefusedError as refused:
        if not call.return_response:
            raise
        return {"started": False, "reason": refused.rule.value, "message": refused.message}
    if not call.return_response:
        return None
    return {"started": True, "reason": None, "message": None}


async def _async_start_session(call: ServiceCall) -> ServiceResponse:
    return await _async_started(
        call,
        _coordinator_for(call).async_start_session(
            routine_key=call.data[ATTR_ROUTINE],
            pressure_mmhg=call.data.get(ATTR_PRESSURE),
            duration_min=call.data.get(ATTR_DURATION),
            source=request_source(call.context),
            user_id=call.context.user_id,
        ),
    )


async def _async_run_custom_routine(call: ServiceCall) -> ServiceResponse:
    return await _async_started(
        call,
        _coordinator_for(call).async_start_session(
            steps=[step_from_data(step) for step in call.data[ATTR_STEPS]],
            duration_min=call.data.get(ATTR_DURATION),
            source=request_source(call.context),
            user_id=call.context.user_id,
        ),
    )


async def _async_stop_session(call: ServiceCall) -> None:
    await _coordinator_for(call).async_stop_session(source=request_source(call.context))


async def _async_stop_all(call: ServiceCall) -> None:
    """Stop every loaded mask at once; one mask out of reach does not hold up the others."""
    coordinators = [
        entry.runtime_data
        for entry in call.hass.config_entries.async_entries(DOMAIN)
        if entry.state is ConfigEntryState.LOADED
    ]
    source = request_source(call.context)
    results = await asyncio.gather(
        *(coordinator.async_stop_session(source=source) for coordinator in coordinators),
        return_exceptions=True,
    )
    failed = [
        coordinator.title
        for coordinator, result in zip(coordinators, results, strict=True)
        if isinstance(result, HomeAssistantError)
    ]
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, HomeAssistantError):
            raise result
    if failed:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="stop_all_failed",
            translation_placeholders={"names": ", ".join(failed)},
        )


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the services (once, from async_setup) and deliver the blueprints."""
    for name, handler, schema in (
        (SERVICE_START_SESSION, _async_start_session, START_SESSION_SCHEMA),
        (SERVICE_RUN_CUSTOM_ROUTINE, _async_run_custom_routine, RUN_CUSTOM_ROUTINE_SCHEMA),
    ):
        hass.services.async_register(
            DOMAIN, name, handler, schema=schema, supports_response=SupportsResponse.OPTIONAL
        )
    for name, stop_handler, schema in (
        (SERVICE_STOP_SESSION, _async_stop_session, STOP_SESSION_SCHEMA),
        (SERVICE_STOP_ALL, _async_stop_all, STOP_ALL_SCHEMA),
    ):
        hass.services.async_register(DOMAIN, name, stop_handler, schema=schema)
    hass.async_create_task(async_install_blueprints(hass), f"{DOMAIN} install blueprints")
