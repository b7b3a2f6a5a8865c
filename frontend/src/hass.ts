// The parts of the Home Assistant frontend's `hass` object the card reads (the frontend's own
// types are not published as a package; these follow home-assistant/frontend src/types.ts).

export interface HassEntity {
  entity_id: string;
  state: string;
  attributes: Record<string, unknown>;
  last_changed?: string;
  last_updated?: string;
}

/** An entity registry entry as the frontend has it (`hass.entities`). */
export interface EntityRegistryDisplayEntry {
  entity_id: string;
  name?: string | null;
  device_id?: string | null;
  platform?: string;
  translation_key?: string;
  entity_category?: string | null;
  hidden?: boolean;
}

export interface DeviceRegistryEntry {
  id: string;
  name?: string | null;
  name_by_user?: string | null;
}

export interface HomeAssistant {
  states: Record<string, HassEntity | undefined>;
  entities: Record<string, EntityRegistryDisplayEntry | undefined>;
  devices: Record<string, DeviceRegistryEntry | undefined>;
  language?: string;
  locale?: { language?: string; time_zone?: string };
  config?: { time_zone?: string };
  themes?: { darkMode?: boolean };
  formatEntityState?(stateObj: HassEntity, state?: string): string;
  callService(
    domain: string,
    service: string,
    data?: Record<string, unknown>,
    target?: Record<string, unknown>,
    notifyOnError?: boolean,
  ): Promise<unknown>;
}
