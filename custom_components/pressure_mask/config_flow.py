"""Config flow: discover a mask, show the contraindications, pair, and verify the key.

Pairing: the person holds the mask button for about 3 s; the mask advertises pairing mode and
hands its key to the next PAIR request. The flow waits for that advertisement, fetches the key,
and proves it works by authenticating before anything is stored.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, override

from bluetooth_data_tools import monotonic_time_coarse
from homeassistant.components.bluetooth import (
    BluetoothScanningMode,
    BluetoothServiceInfoBleak,
    async_discovered_service_info,
    async_last_service_info,
    async_process_advertisements,
)
from homeassistant.components.bluetooth.match import BluetoothCallbackMatcher
from homeassistant.config_entries import (
    SOURCE_REAUTH,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_ADDRESS
from homeassistant.core import callback
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
)
import probatio

from .const import CONF_KEY, DOCS_URL, DOMAIN, PAIRING_WAIT_S
from .mask_ble.client import MaskClient
from .mask_ble.codec import Advertisement, ProtocolError, parse_advertisement
from .mask_ble.errors import AuthenticationError, MaskError
from .mask_ble.routines import FACE_MMHG
from .messages import exception_message
from .safety import LIMIT_RANGES, LimitError, Limits, validate_limits

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Mapping

    from .coordinator import PressureMaskConfigEntry

_LOGGER = logging.getLogger(__name__)


def _advertisement(service_info: BluetoothServiceInfoBleak) -> Advertisement | None:
    """Our advertisement, or None for another device or malformed data."""
    try:
        return parse_advertisement(service_info.manufacturer_data)
    except ProtocolError:
        return None


def _display_name(service_info: BluetoothServiceInfoBleak) -> str:
    # The mask's local name already ends with its address (PMASK-EE01); without one, the
    # service info's name is the address.
    return service_info.name


class PairingFailedError(Exception):
    """Pairing did not produce a working key; `reason` is the abort reason."""

    def __init__(self, reason: str) -> None:
        """Keep the abort reason."""
        super().__init__(reason)
        self.reason = reason


class PressureMaskConfigFlow(ConfigFlow, domain=DOMAIN):
    """Discovery, contraindications, pairing, reauthentication."""

    VERSION = 1

    def __init__(self) -> None:
        """Start with nothing discovered."""
        self._address = ""
        self._name = ""
        self._discovered: dict[str, BluetoothServiceInfoBleak] = {}
        self._pairing_task: asyncio.Task[bytes] | None = None
        self._key = b""
        self._failure = ""

    @staticmethod
    @callback
    @override
    def async_get_options_flow(config_entry: PressureMaskConfigEntry) -> PressureMaskOptionsFlow:
        """The limits live in the options."""
        return PressureMaskOptionsFlow()

    # --- Finding the mask ------------------------------------------------------------------------

    @override
    async def async_step_bluetooth(
        self, discovery_info: BluetoothServiceInfoBleak
    ) -> ConfigFlowResult:
        """A mask was discovered through the manifest matchers."""
        await self.async_set_unique_id(discovery_info.address)
        self._abort_if_unique_id_configured()
        advertisement = _advertisement(discovery_info)
        if advertisement is None:
            return self.async_abort(reason="not_supported")
        if not advertisement.supported:
            return self.async_abort(reason="unsupported_protocol_version")
        self._address = discovery_info.address
        self._name = _display_name(discovery_info)
        self.context["title_placeholders"] = {"name": self._name}
        return await self.async_step_confirm()

    @override
    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Pick one of the discovered masks that are not configured yet."""
        if user_input is not None:
            service_info = self._discovered[user_input[CONF_ADDRESS]]
            self._address = service_info.address
            self._name = _display_name(service_info)
            await self.async_set_unique_id(self._address, raise_on_progress=False)
            self._abort_if_unique_id_configured()
            return await self.async_step_confirm()

        configured = self._async_current_ids(include_ignore=False)
        for service_info in async_discovered_service_info(self.hass):
            advertisement = _advertisement(service_info)
            if (
                service_info.address not in configured
                and advertisement is not None
                and advertisement.supported
            ):
                self._discovered[service_info.address] = service_info
        if not self._discovered:
            return self.async_abort(reason="no_devices_found")
        return self.async_show_form(
            step_id="user",
            data_schema=probatio.Schema(
                {
                    probatio.Required(CONF_ADDRESS): probatio.In(
                        {
                            address: _display_name(info)
                            for address, info in sorted(self._discovered.items())
                        }
                    )
                }
            ),
        )

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the contraindications; continuing means the person has read them."""
        if user_input is not None:
            return await self.async_step_pair()
        self._set_confirm_only()
        return self.async_show_form(
            step_id="confirm",
            description_placeholders={"name": self._name, "docs_url": DOCS_URL},
        )

    # --- Reauthentication ------------------------------------------------------------------------

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The stored key stopped working (the mask was reset): pair again."""
        self._address = entry_data[CONF_ADDRESS]
        self._name = self._get_reauth_entry().title
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Explain why, then pair again."""
        if user_input is not None:
            return await self.async_step_pair()
        return self.async_show_form(
            step_id="reauth_confirm",
            description_placeholders={"name": self._name},
        )

    # --- Pairing ---------------------------------------------------------------------------------

    async def async_step_pair(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Wait for pairing mode, fetch the key, verify it (a progress step)."""
        if self._pairing_task is None:
            self._pairing_task = self.hass.async_create_task(self._async_pair())
        if not self._pairing_task.done():
            return self.async_show_progress(
                step_id="pair",
                progress_action="pair",
                progress_task=self._pairing_task,
                description_placeholders={"seconds": str(PAIRING_WAIT_S)},
            )
        task, self._pairing_task = self._pairing_task, None
        try:
            self._key = await task
        except TimeoutError:
            return self.async_show_progress_done(next_step_id="pairing_timeout")
        except PairingFailedError as err:
            self._failure = err.reason
            return self.async_show_progress_done(next_step_id="pairing_failed")
        return self.async_show_progress_done(next_step_id="finish")

    async def async_step_pairing_failed(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The key could not be fetched or did not authenticate."""
        return self.async_abort(reason=self._failure)

    async def async_step_pairing_timeout(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The mask never showed pairing mode; offer to try again."""
        if user_input is not None:
            return await self.async_step_pair()
        self._set_confirm_only()
        return self.async_show_form(step_id="pairing_timeout")

    async def async_step_finish(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Store the verified key."""
        if self.source == SOURCE_REAUTH:
            return self.async_update_reload_and_abort(
                self._get_reauth_entry(), data_updates={CONF_KEY: self._key.hex()}
            )
        return self.async_create_entry(
            title=self._name, data={CONF_ADDRESS: self._address, CONF_KEY: self._key.hex()}
        )

    async def _async_pair(self) -> bytes:
        """Wait for a pairing-mode advertisement heard from now on, then pair and authenticate.

        Home Assistant replays the last advertisement it cached when the wait begins: one in
        pairing mode from earlier (another attempt, someone else's hold) must not count, only
        the hold the person makes while this step asks for it.
        """
        address = self._address
        cached = async_last_service_info(self.hass, address, connectable=True)
        began = monotonic_time_coarse()

        def in_pairing_mode(service_info: BluetoothServiceInfoBleak) -> bool:
            advertisement = _advertisement(service_info)
            return (
                service_info is not cached
                and service_info.time >= began
                and advertisement is not None
                and advertisement.pairing_mode
            )

        service_info = await async_process_advertisements(
            self.hass,
            in_pairing_mode,
            BluetoothCallbackMatcher(address=address, connectable=True),
            BluetoothScanningMode.ACTIVE,
            PAIRING_WAIT_S,
        )
        client = MaskClient(service_info.device)
        try:
            await client.connect()
            key = await client.pair()
            await client.authenticate()
        except AuthenticationError as err:
            _LOGGER.warning("%s: the key from pairing did not authenticate: %s", address, err)
            raise PairingFailedError("invalid_auth") from err
        except MaskError as err:
            _LOGGER.warning("%s: pairing failed: %s", address, err)
            raise PairingFailedError("cannot_connect") from err
        finally:
            await client.disconnect()
        return key


class PressureMaskOptionsFlow(OptionsFlow):
    """The limits. Values outside their range are refused; saving revokes the acknowledgement.

    Errors name the allowed range; saving says what it did: the acknowledgement withdrawn, and a
    target pressure or session duration the new limits no longer allow replaced (the limits
    apply in place, without a reload: coordinator.async_apply_limits).
    """

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Edit the limits."""
        errors: dict[str, str] = {}
        current = Limits.from_options(self.config_entry.options)
        if user_input is not None:
            options = {**Limits().to_options(), **user_input}
            if "acknowledgement_expiry_days" not in user_input:
                options["acknowledgement_expiry_days"] = None
            errors = {
                name: f"{name}_{error}" if error in _RANGE_ERRORS else error
                for name, error in validate_limits(options).items()
            }
            if not errors:
                return self._async_save(current, Limits.from_options(options), options)
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                _limits_schema(), user_input or current.to_options()
            ),
            errors=errors,
            description_placeholders={
                **{name: f"{bounds.maximum:g}" for name, bounds in LIMIT_RANGES.items()},
                **{
                    f"{name}_minimum": f"{bounds.minimum:g}"
                    for name, bounds in LIMIT_RANGES.items()
                },
            },
        )

    def _async_save(
        self, current: Limits, new: Limits, options: dict[str, Any]
    ) -> ConfigFlowResult:
        if new == current:
            return self.async_create_entry(data=options)
        adjusted: list[str] = []
        if self.config_entry.state is ConfigEntryState.LOADED:
            coordinator = self.config_entry.runtime_data
            if coordinator.target_pressure_mmhg > new.face_max_mmhg:
                adjusted.append(
                    exception_message(
                        self.hass,
                        "options_target_lowered",
                        {
                            "old": f"{coordinator.target_pressure_mmhg:g}",
                            "new": f"{min(FACE_MMHG, new.face_max_mmhg):g}",
                            "limit": f"{new.face_max_mmhg:g}",
                        },
                    )
                )
            if coordinator.session_duration_min > new.max_session_min:
                adjusted.append(
                    exception_message(
                        self.hass,
                        "options_duration_shortened",
                        {
                            "old": f"{coordinator.session_duration_min:g}",
                            "new": f"{new.max_session_min:g}",
                        },
                    )
                )
            acknowledged = coordinator.acknowledged
        else:
            acknowledged = False
        return self.async_create_entry(
            data=options,
            description="acknowledgement_withdrawn" if acknowledged else "limits_saved",
            description_placeholders={"adjusted": "".join(f"\n\n{text}" for text in adjusted)},
        )


# Errors that name the field's range in their message (options.error.<field>_<error>).
_RANGE_ERRORS = frozenset({LimitError.BELOW_MINIMUM, LimitError.ABOVE_CEILING})

_UNITS = {
    "face_max_mmhg": "mmHg",
    "under_eye_max_mmhg": "mmHg",
    "neck_max_mmhg": "mmHg",
    "max_session_min": "min",
    "cooldown_min": "min",
    "acknowledgement_expiry_days": "d",
}


def _limits_schema() -> probatio.Schema:
    """Box inputs without bounds: validate_limits refuses with a translated reason instead."""
    fields: dict[Any, Any] = {}
    for name in LIMIT_RANGES:
        config = NumberSelectorConfig(mode=NumberSelectorMode.BOX, step="any")
        if name in _UNITS:
            config["unit_of_measurement"] = _UNITS[name]
        key = (
            probatio.Optional(name)
            if name == "acknowledgement_expiry_days"
            else probatio.Required(name)
        )
        fields[key] = NumberSelector(config)
    fields[probatio.Required("require_button_for_remote_start")] = BooleanSelector()
    return probatio.Schema(fields)
