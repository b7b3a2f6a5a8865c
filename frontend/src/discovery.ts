// Finding masks and their entities through the entity registry (`hass.entities`): the platform
// and the translation key, never entity-id patterns (people rename entities).

import type { HomeAssistant } from "./hass";

export const DOMAIN = "pressure_mask";

/** The translation keys the card reads (ENTITY_CONTRACT.md). */
export const ENTITY_KEYS = [
  "status",
  "start_readiness",
  "zone_limit",
  "session_peak_pressure",
  "sessions_today",
  "sessions_total",
  "therapy_time_total",
  "pressure",
  "phase",
  "zone",
  "session_elapsed",
  "session_remaining",
  "cooldown_ends",
  "fault",
  "connected",
  "start_session",
  "stop_session",
  "vent",
  "routine",
  "target_pressure",
  "session_duration",
  "safety_acknowledgement",
] as const;

export type EntityKey = (typeof ENTITY_KEYS)[number];
export type MaskEntities = Partial<Record<EntityKey, string>>;

export interface Mask {
  deviceId: string;
  name: string;
  entities: MaskEntities;
}

const KNOWN_KEYS: ReadonlySet<string> = new Set(ENTITY_KEYS);

/** Every mask in the registry, by device, in a stable order (name, then device id). */
export function findMasks(hass: HomeAssistant): Mask[] {
  const byDevice = new Map<string, MaskEntities>();
  for (const entry of Object.values(hass.entities)) {
    if (
      entry?.platform !== DOMAIN ||
      !entry.device_id ||
      !entry.translation_key ||
      !KNOWN_KEYS.has(entry.translation_key)
    ) {
      continue;
    }
    const entities = byDevice.get(entry.device_id) ?? {};
    entities[entry.translation_key as EntityKey] = entry.entity_id;
    byDevice.set(entry.device_id, entities);
  }
  const masks = [...byDevice].map(([deviceId, entities]) => {
    const device = hass.devices[deviceId];
    return { deviceId, name: device?.name_by_user || device?.name || deviceId, entities };
  });
  return masks.sort((a, b) => a.name.localeCompare(b.name) || a.deviceId.localeCompare(b.deviceId));
}

/** The configured mask, or the first one when the card names none (or names a removed one). */
export function findMask(hass: HomeAssistant, deviceId?: string): Mask | undefined {
  const masks = findMasks(hass);
  return masks.find((mask) => mask.deviceId === deviceId) ?? (deviceId ? undefined : masks[0]);
}
