"""Constants of the Home Assistant side of the pressure mask integration."""

from __future__ import annotations

from typing import Final

DOMAIN: Final = "pressure_mask"

# What pairing leaves in the entry: this host's key and slot on the mask, and the mask's pinned
# identity public key (hex).
CONF_KEY: Final = "key"
CONF_SLOT: Final = "slot"
CONF_IDENTITY: Final = "identity"

MANUFACTURER: Final = "Pressure Mask"

# The documentation folder on GitHub (the manifest's "documentation" repository). Translations
# link their own language's page from it through the {docs_url} placeholder: hassfest refuses
# URLs in translation strings.
DOCS_URL: Final = "https://github.com/pressure-mask/pressure_mask/blob/main/docs"

# Seconds the pairing step waits for the mask to advertise pairing mode (the mask's own pairing
# window is 30 s after a 3 s button hold): time to find the button, or in the demo to run the
# prepared press_button action.
PAIRING_WAIT_S: Final = 120

# A connection with no session is closed after this many seconds, to free the proxy slot.
IDLE_DISCONNECT_S: Final = 45.0

# The pressure sensor writes at most one state per this many seconds during a session; every
# notification is still checked by the supervision.
PRESSURE_WRITE_INTERVAL_S: Final = 0.5

# Sources of a session request: the dashboard, or an automation / script / service call.
SOURCE_UI: Final = "ui"
SOURCE_AUTOMATION: Final = "automation"

# The bus event behind the logbook's sentences about sessions (logbook.py).
EVENT_SESSION: Final = "pressure_mask_session_event"

# Repair issue identifiers (suffixed with the config entry id).
ISSUE_ACKNOWLEDGEMENT_REQUIRED: Final = "acknowledgement_required"
ISSUE_SAFETY_FAULT: Final = "safety_fault"
ISSUE_LIMITS_MISMATCH: Final = "limits_mismatch"
ISSUE_SLOT_NOT_REVOKED: Final = "slot_not_revoked"

# The "not started" notification of the scheduled-routine blueprint (one per mask, by device
# id); dismissed when the acknowledgement is given or a session starts.
REFUSAL_NOTIFICATION_ID: Final = "pressure_mask_scheduled_{device_id}"
