import { describe, expect, it } from "vitest";

import { findMask, findMasks } from "../src/discovery";
import { localizer } from "../src/translations";
import { DEVICE, addMask, entityId, mockHass } from "./fixtures";

describe("findMasks", () => {
  it("finds the mask's entities by platform and translation key, whatever their ids", () => {
    const hass = mockHass({ status: { state: "ready" }, start_session: { state: "unknown" } });
    // Another integration's entity with the same translation key is not ours.
    hass.entities["sensor.other_status"] = {
      entity_id: "sensor.other_status",
      device_id: "other",
      platform: "other_integration",
      translation_key: "status",
    };
    const masks = findMasks(hass);
    expect(masks).toEqual([
      {
        deviceId: DEVICE,
        name: "PMASK-1A2B",
        entities: { status: entityId("status"), start_session: entityId("start_session") },
      },
    ]);
  });

  it("prefers the name the person gave the device, and sorts several masks by name", () => {
    const hass = mockHass({ status: { state: "ready" } }, { device: "b", name: "PMASK-BBBB" });
    addMask(hass, { status: { state: "ready" } }, "a", "PMASK-AAAA");
    hass.devices.b!.name_by_user = "Bedroom mask";
    expect(findMasks(hass).map((m) => m.name)).toEqual(["Bedroom mask", "PMASK-AAAA"]);
  });

  it("uses the configured device, the first mask without one, nothing for a removed one", () => {
    const hass = mockHass({ status: { state: "ready" } }, { device: "b", name: "B" });
    addMask(hass, { status: { state: "ready" } }, "a", "A");
    expect(findMask(hass, "b")?.deviceId).toBe("b");
    expect(findMask(hass)?.deviceId).toBe("a");
    expect(findMask(hass, "gone")).toBeUndefined();
  });
});

describe("localizer", () => {
  it("falls back to English and fills placeholders", () => {
    expect(localizer("xx")("status.daily_limit_reached", { sessions: 2, cap: 2 })).toBe("2 of 2 sessions today");
    expect(localizer("en-GB")("status.ready")).toBe("Ready");
    expect(localizer(undefined)("status.armed", {})).toBe("Press the mask's button to begin ({left} left)");
  });
});
