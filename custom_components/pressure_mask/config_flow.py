"""Config flow: discover a mask, show the contraindications, pair, and verify the key.

Pairing (protocol version 2): the person holds the mask button for about 3 s; the mask
advertises pairing mode. The flow waits for that advertisement and opens a key agreement with
the mask (no key crosses the air), then shows the mask's identity fingerprint: the person
compares it with the mask's label and presses the mask's button once, which completes the
pairing on the mask. The flow authenticates with the new key before anything is stored.
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
from .coordinator import credentials_data
from .mask_ble.client import MaskClient
from .mask_ble.codec import Advertisement, ProtocolError, parse_advertisement
from .mask_ble.const import ResultCode
from .mask_ble.errors import (
    AuthenticationError,
    ButtonNotPressedError,
    CommandRejected,
    MaskError,
)
from .mask_ble.routines import FACE_MMHG
from .messages import exception_message
from .safety import LIMIT_RANGES, LimitError, Limits, validate_limits

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Mapping

    from .coordinator import PressureMaskConfigEntry
    from .mask_ble.secure import HostCredentials, PairingExchange

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

    # 2: protocol version 2 credentials (key, slot, pinned identity); 1 entries pair again.
    VERSION = 2

    def __init__(self) -> None:
        """Start with nothing discovered."""
        self._address = ""
        self._name = ""
        self._discovered: dict[str, BluetoothServiceInfoBleak] = {}
        self._pairing_task: asyncio.Task[PairingExchange] | None = None
        self._client: MaskClient | None = None
        self._fingerprint = ""
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
        """The stored key stopped working (the mask was reset), or the entry is version 1."""
        self._address = entry_data[CONF_ADDRESS]
        self._name = self._get_reauth_entry().title
        if CONF_KEY not in entry_data:
            return await self.async_step_reauth_protocol()
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_protocol(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Explain that version 1 pairing was not safe, then pair again."""
        if user_input is not None:
            return await self.async_step_pair()
        return self.async_show_form(
            step_id="reauth_protocol", description_placeholders={"name": self._name}
        )

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
        """Wait for pairing mode and open the key agreement (a progress step)."""
        if self._pairing_task is None:
            self._pairing_task = self.hass.async_create_task(self._async_begin_pairing())
        if not self._pairing_task.done():
            return self.async_show_progress(
                step_id="pair",
                progress_action="pair",
                progress_task=self._pairing_task,
                description_placeholders={"seconds": str(PAIRING_WAIT_S)},
            )
        task, self._pairing_task = self._pairing_task, None
        try:
            self._fingerprint = (await task).fingerprint
        except TimeoutError:
            return self.async_show_progress_done(next_step_id="pairing_timeout")
        except PairingFailedError as err:
            self._failure = err.reason
            return self.async_show_progress_done(next_step_id="pairing_failed")
        return self.async_show_progress_done(next_step_id="compare")

    async def async_step_compare(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the fingerprint; the person compares it and presses the mask's button."""
        errors: dict[str, str] = {}
        if user_input is not None:
            try:
                credentials = await self._async_confirm_pairing()
            except ButtonNotPressedError:
                errors["base"] = "button_not_pressed"
            except PairingFailedError as err:
                self._failure = err.reason
                return await self.async_step_pairing_failed()
            else:
                return self._async_finish(credentials)
        self._set_confirm_only()
        return self.async_show_form(
            step_id="compare",
            errors=errors,
            description_placeholders={"name": self._name, "fingerprint": self._fingerprint},
        )

    async def async_step_pairing_failed(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The exchange failed, or the new key did not authenticate."""
        await self._async_close()
        return self.async_abort(reason=self._failure)

    async def async_step_pairing_timeout(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The mask never showed pairing mode; offer to try again."""
        if user_input is not None:
            return await self.async_step_pair()
        self._set_confirm_only()
        return self.async_show_form(step_id="pairing_timeout")

    @callback
    def _async_finish(self, credentials: HostCredentials) -> ConfigFlowResult:
        """Store the verified credentials."""
        data = credentials_data(credentials)
        if self.source == SOURCE_REAUTH:
            return self.async_update_reload_and_abort(self._get_reauth_entry(), data_updates=data)
        return self.async_create_entry(title=self._name, data={CONF_ADDRESS: self._address, **data})

    @callback
    @override
    def async_remove(self) -> None:
        """The flow ends (or is abandoned): free the link."""
        if self._client is not None:
            self.hass.async_create_task(self._async_close())

    async def _async_close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.disconnect()

    async def _async_begin_pairing(self) -> PairingExchange:
        """Wait for a pairing-mode advertisement heard from now on, connect, open the exchange.

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
        await self._async_close()
        self._client = MaskClient(service_info.device)
        try:
            await self._client.connect()
            return await self._client.begin_pairing()
        except CommandRejected as err:
            await self._async_close()
            _LOGGER.warning("%s: pairing refused: %s", address, err)
            reason = "no_free_slot" if err.result is ResultCode.NO_FREE_SLOT else "cannot_connect"
            raise PairingFailedError(reason) from err
        except MaskError as err:
            await self._async_close()
            _LOGGER.warning("%s: pairing failed: %s", address, err)
            raise PairingFailedError("cannot_connect") from err

    async def _async_confirm_pairing(self) -> HostCredentials:
        """Complete the exchange (after the button press), then prove the new key works."""
        client = self._client
        if client is None:
            raise PairingFailedError("cannot_connect")
        try:
            credentials = await client.confirm_pairing()
            await client.authenticate()
        except ButtonNotPressedError:
            raise
        except AuthenticationError as err:
            _LOGGER.warning("%s: the new key did not authenticate: %s", self._address, err)
            raise PairingFailedError("invalid_auth") from err
        except MaskError as err:
            _LOGGER.warning("%s: pairing failed: %s", self._address, err)
            raise PairingFailedError("cannot_connect") from err
        await self._async_close()
        return credentials


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
