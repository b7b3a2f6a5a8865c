// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";

import { PressureMaskCard } from "../src/pressure-mask-card";
import type { HomeAssistant } from "../src/hass";
import { DEVICE, entityId, mockHass } from "./fixtures";

type States = Parameters<typeof mockHass>[0];

const IDLE: States = {
  status: { state: "needs_acknowledgement" },
  start_readiness: { state: "needs_acknowledgement" },
  connected: { state: "off" },
  pressure: { state: "0" },
  zone_limit: { state: "30", attributes: { face_limit: 30, under_eye_limit: 15, neck_limit: 20 } },
  zone: { state: "none" },
  start_session: { state: "unknown" },
  stop_session: { state: "unknown" },
  vent: { state: "unknown" },
  safety_acknowledgement: { state: "off" },
  target_pressure: { state: "25", attributes: { min: 5, max: 30, step: 1, unit_of_measurement: "mmHg" } },
  session_duration: { state: "10", attributes: { min: 1, max: 10, step: 1, unit_of_measurement: "min" } },
  routine: { state: "full_face_drainage", attributes: { options: ["full_face_drainage", "eye_de_puff"] } },
};

async function render(hass: HomeAssistant, config = {}): Promise<PressureMaskCard> {
  const card = document.createElement("pressure-mask-card") as PressureMaskCard;
  card.setConfig({ type: "custom:pressure-mask-card", ...config });
  card.hass = hass;
  document.body.appendChild(card);
  await card.updateComplete;
  return card;
}

function shadow(card: PressureMaskCard): ShadowRoot {
  return card.shadowRoot as ShadowRoot;
}

function text(card: PressureMaskCard, selector: string): string {
  return (shadow(card).querySelector(selector)?.textContent ?? "").replace(/\s+/g, " ").trim();
}

function button(card: PressureMaskCard, name: string): HTMLButtonElement {
  const found = [...shadow(card).querySelectorAll("button")].find((b) => b.textContent?.trim() === name);
  if (!found) throw new Error(`no ${name} button`);
  return found;
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("pressure-mask-card", () => {
  it("registers itself in the card picker with a stub config from the registry", () => {
    const cards = (window as unknown as { customCards: { type: string }[] }).customCards;
    expect(cards.map((c) => c.type)).toContain("pressure-mask-card");
    expect(PressureMaskCard.getStubConfig(mockHass(IDLE))).toEqual({
      type: "custom:pressure-mask-card",
      device: DEVICE,
    });
    expect(PressureMaskCard.getConfigForm().schema).toEqual([
      { name: "device", selector: { device: { integration: "pressure_mask" } } },
    ]);
  });

  it("announces the status line and says why Start would be refused", async () => {
    const card = await render(mockHass(IDLE));
    const status = shadow(card).querySelector("[data-testid=status]");
    expect(status?.getAttribute("role")).toBe("status");
    expect(status?.getAttribute("aria-live")).toBe("polite");
    expect(text(card, "[data-testid=status]")).toBe(
      "Read the contraindications, then turn on the safety acknowledgement",
    );
    expect(text(card, "[data-testid=readiness]")).toBe(
      "Start would be refused: the safety acknowledgement is off",
    );
    expect(button(card, "Start").getAttribute("aria-describedby")).toBe("readiness");
  });

  it("presses the mask's buttons and shows a refusal in full", async () => {
    const hass = mockHass(IDLE);
    const refusal = 'Not started: the safety acknowledgement is off. Read the contraindications, then turn on "Contraindications read and accepted".';
    const calls: unknown[][] = [];
    hass.callService = vi.fn(async (...args: unknown[]) => {
      calls.push(args);
      if ((args[2] as { entity_id: string }).entity_id === entityId("start_session")) {
        throw { code: "home_assistant_error", message: refusal };
      }
    });
    const card = await render(hass);

    button(card, "Start").click();
    await vi.waitFor(() => expect(text(card, "[data-testid=error]")).toBe(`Start failed: ${refusal}`));
    expect(shadow(card).querySelector("[data-testid=error]")?.getAttribute("role")).toBe("alert");

    button(card, "Stop").click();
    button(card, "Vent").click();
    await vi.waitFor(() => expect(calls).toHaveLength(3));
    expect(calls).toEqual([
      ["button", "press", { entity_id: entityId("start_session") }, undefined, false],
      ["button", "press", { entity_id: entityId("stop_session") }, undefined, false],
      ["button", "press", { entity_id: entityId("vent") }, undefined, false],
    ]);
    await card.updateComplete;
    expect(text(card, "[data-testid=error]")).toBe("");
  });

  it("keeps an error until the mask's status changes", async () => {
    const hass = mockHass(IDLE);
    hass.callService = vi.fn(async () => {
      throw { message: "Not started: cooldown" };
    });
    const card = await render(hass);
    button(card, "Start").click();
    await vi.waitFor(() => expect(text(card, "[data-testid=error]")).toBe("Start failed: Not started: cooldown"));
    card.hass = { ...hass, states: { ...hass.states } };
    await card.updateComplete;
    expect(text(card, "[data-testid=error]")).toBe("Start failed: Not started: cooldown");
    const status = entityId("status");
    card.hass = { ...hass, states: { ...hass.states, [status]: { entity_id: status, state: "fault", attributes: {} } } };
    await card.updateComplete;
    expect(text(card, "[data-testid=error]")).toBe("");
  });

  it("never disables Stop and Vent, whatever the mask's state", async () => {
    for (const state of ["fault", "out_of_range", "unavailable", "running"]) {
      const card = await render(
        mockHass({ ...IDLE, status: { state }, stop_session: { state: "unavailable" }, vent: { state: "unavailable" } }),
      );
      expect(button(card, "Stop").disabled).toBe(false);
      expect(button(card, "Vent").disabled).toBe(false);
    }
  });

  it("shows the pressure against the zone's limit, the limits and the controls' ranges", async () => {
    const card = await render(
      mockHass({
        ...IDLE,
        status: { state: "running", attributes: { step: 3, steps: 8, repetition: 1, repetitions: 4 } },
        zone: { state: "under_eye" },
        pressure: { state: "12.4" },
        zone_limit: { state: "15", attributes: { face_limit: 30, under_eye_limit: 15, neck_limit: 20 } },
        session_peak_pressure: { state: "13" },
        session_elapsed: { state: "125" },
        session_remaining: {
          state: "475",
          attributes: { planned_duration_s: 600, chosen_duration_s: 600, ends_with: "session_duration" },
        },
      }),
    );
    expect(text(card, "[data-testid=status]")).toBe("Under-eye, step 3 of 8, repetition 1 of 4");
    expect(text(card, "[data-testid=pressure]")).toBe("12 of 15 mmHg (Under-eye limit)");
    const meter = shadow(card).querySelector("[role=meter]");
    expect(meter?.getAttribute("aria-valuemax")).toBe("15");
    expect(text(card, ".peak")).toBe("Peak 13 mmHg");
    expect(text(card, ".limits")).toBe("Limits: face 30, under-eye 15, neck 20 mmHg");
    expect(text(card, "[data-testid=progress]")).toBe("2:05 elapsed, 7:55 left");
    expect(text(card, "[data-testid=planned]")).toBe("Ends when the 10:00 you chose are up.");
    expect(shadow(card).querySelector(".zone.active")?.getAttribute("data-zone")).toBe("under_eye");
    expect(text(card, ".controls")).toContain("5 to 30 mmHg");
    expect(text(card, ".controls")).toContain("1 to 10 min");
  });

  it("names the face limit while no zone, or a face zone, is pressed", async () => {
    for (const zone of ["none", "cheeks"]) {
      const card = await render(mockHass({ ...IDLE, zone: { state: zone }, pressure: { state: "0" } }));
      expect(text(card, "[data-testid=pressure]")).toBe("0 of 30 mmHg (Face limit)");
    }
  });

  it("turns the acknowledgement on through its switch, labelled for screen readers", async () => {
    const hass = mockHass(IDLE);
    hass.callService = vi.fn(async () => undefined);
    const card = await render(hass);
    const toggle = shadow(card).querySelector("[role=switch]") as HTMLButtonElement;
    expect(toggle.getAttribute("aria-label")).toBe("Safety acknowledgement");
    expect(toggle.getAttribute("aria-checked")).toBe("false");
    toggle.click();
    expect(hass.callService).toHaveBeenCalledWith(
      "switch",
      "turn_on",
      { entity_id: entityId("safety_acknowledgement") },
      undefined,
      false,
    );
    expect(shadow(card).querySelector(".ack a")?.getAttribute("href")).toContain("docs/safety.md");
  });

  it("says so when there is no mask", async () => {
    const card = await render(mockHass({}));
    expect(text(card, ".empty")).toBe("No pressure mask found. Add one in Settings > Devices & services.");
  });
});
