// Mocked `hass` objects shaped like the frontend's, for the contract's entities (ENTITY_CONTRACT.md).
import type { HassEntity, HomeAssistant } from "../src/hass";
import type { EntityKey } from "../src/discovery";

export const DEVICE = "device-1a2b";

type States = Partial<Record<EntityKey, { state: string; attributes?: Record<string, unknown> }>>;

const DOMAINS: Partial<Record<EntityKey, string>> = {
  connected: "binary_sensor",
  start_session: "button",
  stop_session: "button",
  vent: "button",
  routine: "select",
  target_pressure: "number",
  session_duration: "number",
  safety_acknowledgement: "switch",
};

/** Entity ids deliberately unlike the translation keys: the card must go through the registry. */
export function entityId(key: EntityKey, device = DEVICE): string {
  return `${DOMAINS[key] ?? "sensor"}.renamed_${device.replace(/\W/g, "_")}_${key.length}_${key.slice(0, 3)}`;
}

export function mockHass(states: States, { device = DEVICE, name = "PMASK-1A2B", language = "en" } = {}): HomeAssistant {
  const hass: HomeAssistant = {
    states: {},
    entities: {},
    devices: { [device]: { id: device, name } },
    language,
    locale: { language, time_zone: "server" },
    config: { time_zone: "UTC" },
    callService: async () => undefined,
  };
  addMask(hass, states, device, name);
  return hass;
}

export function addMask(hass: HomeAssistant, states: States, device: string, name: string): void {
  hass.devices[device] = { id: device, name };
  for (const [key, value] of Object.entries(states) as [EntityKey, NonNullable<States[EntityKey]>][]) {
    const id = entityId(key, device);
    hass.entities[id] = { entity_id: id, device_id: device, platform: "pressure_mask", translation_key: key };
    const entity: HassEntity = { entity_id: id, state: value.state, attributes: value.attributes ?? {} };
    hass.states[id] = entity;
  }
}
