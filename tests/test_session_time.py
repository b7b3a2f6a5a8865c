""" "Remaining" agrees with the duration the person chose, and says why when it is shorter.

The duration a person chooses is the session's deadline: the mask receives it as
max_duration_s, exactly, and stops the session there. A routine runs its steps and repetitions,
which may take less (Full face drainage takes 5 min 54 s of a 10-minute session); nothing sent
changes to make the numbers meet. The remaining sensor counts down what the mask runs, and its
attributes and the start confirmation say plainly that it is the routine's length within the
chosen duration, or that the chosen duration ends the session (a pause used up the difference).
Driven through the virtual mask with simulated time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components import persistent_notification

from custom_components.pressure_mask.mask_ble.codec import Pause, Resume, StartSession, Stop
from custom_components.pressure_mask.mask_ble.const import Zone
from custom_components.pressure_mask.mask_ble.routines import FULL_FACE_DRAINAGE, Step
from tests.helpers import tick

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant, State

    from devtools.virtual_mask import VirtualMask
    from tests.helpers import SessionRig

PREFIX = "sensor.pmask_ee01_"
# Six ten-second cycles on the cheeks: one minute exactly.
ONE_MINUTE = Step(Zone.CHEEKS, 20.0, inflate_s=2.0, hold_s=4.0, release_s=4.0, repetitions=6)


def _state(hass: HomeAssistant, key: str) -> State:
    state = hass.states.get(PREFIX + key)
    assert state is not None, key
    return state


def _times(hass: HomeAssistant) -> tuple[int, int, dict[str, object]]:
    remaining = _state(hass, "session_remaining")
    return (
        int(_state(hass, "session_elapsed").state),
        int(remaining.state),
        {key: remaining.attributes.get(key) for key in PLANNED_KEYS},
    )


PLANNED_KEYS = ("planned_duration_s", "chosen_duration_s", "ends_with")


def _start_notice(hass: HomeAssistant) -> str:
    (notice,) = persistent_notification._async_get_or_create_notifications(hass).values()
    message: str = notice["message"]
    return message


def _sent_start(mask: VirtualMask) -> StartSession:
    (start,) = (command for command in mask.received if isinstance(command, StartSession))
    return start


async def test_a_routine_shorter_than_the_chosen_duration_says_so_and_ends_with_its_steps(
    ready: SessionRig,
) -> None:
    """10 minutes chosen, 5 min 54 s of routine: the mask gets 600 s, everything says 5 min 54 s."""
    hass, mask, freezer = ready.hass, ready.mask, ready.freezer
    coordinator = ready.coordinator
    await coordinator.async_start_session(routine_key=FULL_FACE_DRAINAGE.key, duration_min=10)
    await tick(hass, freezer, mask, 0.5)

    # What is sent is what the person chose: the deadline, and the routine as it is.
    start = _sent_start(mask)
    assert start.max_duration_s == 600
    assert sum(step.duration_s for step in start.steps) == 354
    assert _times(hass) == (
        0,
        354,
        {"planned_duration_s": 354, "chosen_duration_s": 600, "ends_with": "routine"},
    )
    assert _start_notice(hass) == (
        "Full face drainage runs for 5 min 54 s: that is how long its steps and repetitions "
        "take; the session duration you chose (10 min) is the longest it may run. **Stop "
        "session** or **Vent** end it at any time."
    )

    await tick(hass, freezer, mask, 100.0, step_s=0.5)
    elapsed, remaining, planned = _times(hass)
    assert (elapsed, remaining) == (100, 254)
    assert planned["ends_with"] == "routine"

    # It ends with its last step, at 5 min 54 s: nobody stops it at a deadline.
    await tick(hass, freezer, mask, 254.0, step_s=0.5)
    event = hass.states.get("event.pmask_ee01_session")
    assert event is not None
    assert event.attributes["event_type"] == "completed"
    assert not any(isinstance(command, Stop) for command in mask.received)
    assert coordinator.history.therapy_time_total_s == 354
    # No session: the attributes go with it.
    assert _state(hass, "session_remaining").attributes.keys().isdisjoint(PLANNED_KEYS)
    assert persistent_notification._async_get_or_create_notifications(hass) == {}
    assert await hass.config_entries.async_unload(ready.config_entry.entry_id)


async def test_a_routine_that_fills_the_chosen_duration_ends_with_it(ready: SessionRig) -> None:
    hass, mask, freezer = ready.hass, ready.mask, ready.freezer
    coordinator = ready.coordinator
    await coordinator.async_start_session(steps=[ONE_MINUTE], duration_min=1)
    await tick(hass, freezer, mask, 0.5)
    assert _sent_start(mask).max_duration_s == 60
    assert _times(hass) == (
        0,
        60,
        {"planned_duration_s": 60, "chosen_duration_s": 60, "ends_with": "session_duration"},
    )
    assert _start_notice(hass).startswith(
        "Custom routine runs for 1 min: that is how long its steps and repetitions take; the "
        "session duration you chose (1 min) is the longest it may run."
    )
    assert await hass.config_entries.async_unload(ready.config_entry.entry_id)


async def test_after_a_pause_the_chosen_duration_ends_the_session_and_remaining_says_so(
    ready: SessionRig,
) -> None:
    """A pause does not stop the deadline: the session then ends at the duration chosen."""
    hass, mask, freezer = ready.hass, ready.mask, ready.freezer
    coordinator = ready.coordinator
    await coordinator.async_start_session(steps=[ONE_MINUTE], duration_min=2)
    await tick(hass, freezer, mask, 30.0)
    assert _times(hass) == (
        30,
        30,
        {"planned_duration_s": 60, "chosen_duration_s": 120, "ends_with": "routine"},
    )
    await coordinator.client.pause()
    await tick(hass, freezer, mask, 50.0)
    await coordinator.client.resume()
    await tick(hass, freezer, mask, 1.0)
    assert [type(c) for c in mask.received if isinstance(c, Pause | Resume)] == [Pause, Resume]
    # 81 s elapsed, 39 s to the deadline, about 30 s of routine left: the routine still ends it.
    elapsed, remaining, planned = _times(hass)
    assert elapsed == 81
    assert remaining < 120 - elapsed
    assert planned["ends_with"] == "routine"
    await tick(hass, freezer, mask, 20.0)
    await coordinator.client.pause()
    await tick(hass, freezer, mask, 15.0)
    await coordinator.client.resume()
    await tick(hass, freezer, mask, 1.0)
    elapsed, remaining, planned = _times(hass)
    assert remaining == 120 - elapsed
    assert planned["ends_with"] == "session_duration"
    assert await hass.config_entries.async_unload(ready.config_entry.entry_id)
