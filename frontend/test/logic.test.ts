import { describe, expect, it } from "vitest";

import { findMask } from "../src/discovery";
import {
  type Context,
  drawnZone,
  errorMessage,
  formatClock,
  formatDuration,
  pressureMeter,
  plannedText,
  progress,
  readMask,
  readinessLine,
  statusLine,
  zoneLimitAttribute,
} from "../src/logic";
import { localizer } from "../src/translations";
import { mockHass } from "./fixtures";

const NOW = new Date("2026-12-01T07:00:00Z");
const ctx: Context = { t: localizer("en"), language: "en-GB", timeZone: "UTC", now: NOW };

type States = Parameters<typeof mockHass>[0];

function view(states: States) {
  const hass = mockHass(states);
  return readMask(hass, findMask(hass)!);
}

const LIMITS = { face_limit: 30, under_eye_limit: 15, neck_limit: 20 };

describe("formatDuration", () => {
  it.each([
    [0, "0:00"],
    [5, "0:05"],
    [59.6, "1:00"],
    [105, "1:45"],
    [276, "4:36"],
    [600, "10:00"],
    [3725, "1:02:05"],
    [-3, "0:00"],
  ])("%s s is %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe("formatClock", () => {
  it("shows the time in Home Assistant's time zone", () => {
    expect(formatClock("2026-12-01T07:42:10Z", "en-GB", "UTC")).toBe("7:42");
    expect(formatClock("2026-12-01T07:42:10Z", "en-US", "America/New_York")).toMatch(/^2:42\s?AM$/);
  });
});

describe("zones", () => {
  it("maps each zone to its configured limit", () => {
    expect(zoneLimitAttribute("under_eye")).toBe("under_eye_limit");
    expect(zoneLimitAttribute("neck")).toBe("neck_limit");
    for (const zone of ["forehead", "temples", "cheeks", "jaw", "none", undefined]) {
      expect(zoneLimitAttribute(zone)).toBe("face_limit");
    }
  });

  it("draws the six zones and nothing for no zone", () => {
    for (const zone of ["forehead", "temples", "under_eye", "cheeks", "jaw", "neck"]) {
      expect(drawnZone(zone)).toBe(zone);
    }
    expect(drawnZone("none")).toBeUndefined();
    expect(drawnZone(undefined)).toBeUndefined();
  });
});

describe("statusLine", () => {
  it("says Ready, and idle when the link is closed as planned (not Unknown)", () => {
    expect(statusLine(view({ status: { state: "ready" }, connected: { state: "on" } }), ctx)).toEqual({
      text: "Ready",
      tone: "normal",
    });
    expect(statusLine(view({ status: { state: "ready" }, connected: { state: "off" } }), ctx).text).toBe(
      "Ready (idle)",
    );
  });

  it("counts down the arming time", () => {
    const armed = view({ status: { state: "armed", attributes: { armed_until: "2026-12-01T07:01:45Z" } } });
    expect(statusLine(armed, ctx).text).toBe("Press the mask's button to begin (1:45 left)");
    const later = { ...ctx, now: new Date("2026-12-01T07:01:39.6Z") };
    expect(statusLine(armed, later).text).toBe("Press the mask's button to begin (0:05 left)");
  });

  it("shows the breathing warm-up as breathing, not as a fault", () => {
    const breathing = view({
      status: { state: "breathing", attributes: { breath: 2, breaths: 5, breathing_phase: "in" } },
      zone: { state: "none" },
      pressure: { state: "0" },
    });
    expect(statusLine(breathing, ctx)).toEqual({ text: "Breathe in (2 of 5)", tone: "active" });
    const out = view({ status: { state: "breathing", attributes: { breath: 3, breaths: 5, breathing_phase: "out" } } });
    expect(statusLine(out, ctx).text).toBe("Breathe out (3 of 5)");
  });

  it("names the zone, step and repetition while running", () => {
    const running = view({
      status: { state: "running", attributes: { step: 2, steps: 8, repetition: 3, repetitions: 5 } },
      zone: { state: "neck" },
    });
    expect(statusLine(running, ctx)).toEqual({ text: "Neck, step 2 of 8, repetition 3 of 5", tone: "active" });
  });

  it("gives the cooldown end, the daily cap, venting, out of range", () => {
    const cooling = view({
      status: { state: "cooling_down" },
      start_readiness: { state: "cooling_down", attributes: { until: "2026-12-01T07:42:00Z" } },
    });
    expect(statusLine(cooling, ctx).text).toBe("Cooling down until 7:42");
    const capped = view({
      status: { state: "daily_limit_reached" },
      sessions_today: { state: "2", attributes: { daily_cap: 2 } },
    });
    expect(statusLine(capped, ctx).text).toBe("2 of 2 sessions today");
    expect(statusLine(view({ status: { state: "venting" } }), ctx).text).toBe("Venting");
    expect(statusLine(view({ status: { state: "out_of_range" } }), ctx).text).toBe("Out of range");
    expect(statusLine(view({ status: { state: "unavailable" } }), ctx).text).toBe("The mask is not available");
  });

  it("names the fault, where and how high, and the next step", () => {
    const hass = mockHass({
      status: { state: "fault", attributes: { fault_zone: "neck", fault_pressure_mmhg: 38.2 } },
      fault: { state: "host_over_pressure" },
    });
    hass.formatEntityState = (entity) => (entity.state === "host_over_pressure" ? "Over-pressure (Home Assistant)" : entity.state);
    const line = statusLine(readMask(hass, findMask(hass)!), ctx);
    expect(line).toEqual({
      text:
        "Safety fault: Over-pressure (Home Assistant), Neck at 38 mmHg. " +
        "Check the mask and its fit, then turn on the safety acknowledgement again.",
      tone: "error",
    });
    const noZone = view({ status: { state: "fault" }, fault: { state: "leak" } });
    expect(statusLine(noZone, ctx).text).toBe(
      "Safety fault: leak. Check the mask and its fit, then turn on the safety acknowledgement again.",
    );
  });
});

describe("readinessLine", () => {
  it("says nothing when Start would go ahead", () => {
    expect(readinessLine(view({ start_readiness: { state: "ready" } }), ctx)).toBeUndefined();
  });

  it.each([
    ["needs_acknowledgement", "Start would be refused: the safety acknowledgement is off"],
    ["fault", "Start would be refused: a safety fault is active"],
    ["low_battery", "Start would be refused: the battery is low, charge the mask"],
    ["out_of_range", "Start would be refused: the mask is out of range"],
    ["session_active", "Start would be refused: a session is already running"],
  ])("explains %s before Start is pressed", (state, text) => {
    expect(readinessLine(view({ start_readiness: { state } }), ctx)?.text).toBe(text);
  });

  it("gives the cooldown end and the daily cap with their numbers", () => {
    const cooling = view({ start_readiness: { state: "cooling_down", attributes: { until: "2026-12-01T07:42:00Z" } } });
    expect(readinessLine(cooling, ctx)?.text).toBe("Start would be refused: cooling down until 7:42");
    const capped = view({
      start_readiness: { state: "daily_limit_reached" },
      sessions_today: { state: "3", attributes: { daily_cap: 3 } },
    });
    expect(readinessLine(capped, ctx)?.text).toBe("Start would be refused: 3 of 3 sessions today");
  });
});

describe("pressureMeter", () => {
  it("scales to the current zone's configured limit, never a fixed maximum", () => {
    const meter = pressureMeter(
      view({ pressure: { state: "10" }, zone_limit: { state: "15", attributes: LIMITS }, target_pressure: { state: "12" } }),
    );
    expect(meter).toEqual({ limit: 15, fraction: 10 / 15, band: "normal" });
  });

  it("marks a pressure above the target, and at the limit", () => {
    const above = view({ pressure: { state: "27" }, zone_limit: { state: "30" }, target_pressure: { state: "25" } });
    expect(pressureMeter(above)?.band).toBe("above_target");
    const at = view({ pressure: { state: "31" }, zone_limit: { state: "30" }, target_pressure: { state: "25" } });
    expect(pressureMeter(at)).toEqual({ limit: 30, fraction: 1, band: "at_limit" });
  });

  it("keeps the last known pressure when idle and hides without a limit", () => {
    expect(pressureMeter(view({ pressure: { state: "0" }, zone_limit: { state: "30" } }))?.fraction).toBe(0);
    expect(pressureMeter(view({ pressure: { state: "3" }, zone_limit: { state: "unavailable" } }))).toBeUndefined();
  });
});

describe("progress", () => {
  it("adds elapsed and left up to what the mask runs", () => {
    const p = progress(view({ session_elapsed: { state: "150" }, session_remaining: { state: "450" } }));
    expect(p).toEqual({ elapsedS: 150, remainingS: 450, fraction: 0.25, planned: undefined });
  });

  it("says the routine ends before the duration chosen, or that the chosen duration ends it", () => {
    const t = localizer("en");
    const remaining = (ends_with: string) => ({
      state: "300",
      attributes: { planned_duration_s: 354, chosen_duration_s: 600, ends_with },
    });
    const p = progress(view({ session_elapsed: { state: "54" }, session_remaining: remaining("routine") }));
    expect(p?.planned).toEqual({ endsWith: "routine", plannedS: 354, chosenS: 600 });
    expect(plannedText(p!.planned!, t)).toBe(
      "The routine takes 5:54 of the 10:00 you chose: it ends when its steps and repetitions are done.",
    );
    const q = progress(view({ session_elapsed: { state: "54" }, session_remaining: remaining("session_duration") }));
    expect(plannedText(q!.planned!, t)).toBe("Ends when the 10:00 you chose are up.");
    const odd = progress(view({ session_elapsed: { state: "54" }, session_remaining: remaining("later") }));
    expect(odd?.planned).toBeUndefined();
  });

  it("is absent with no session to show (both zero) or either value unknown", () => {
    expect(progress(view({ session_elapsed: { state: "0" }, session_remaining: { state: "0" } }))).toBeUndefined();
    expect(progress(view({ session_elapsed: { state: "unknown" }, session_remaining: { state: "450" } }))).toBeUndefined();
  });
});

describe("errorMessage", () => {
  it("shows Home Assistant's message in full", () => {
    const message =
      "Not started: the safety acknowledgement is off. Read the contraindications, then turn on " +
      '"Contraindications read and accepted".';
    expect(errorMessage({ code: "home_assistant_error", message })).toBe(message);
    expect(errorMessage(new Error("boom"))).toBe("boom");
    expect(errorMessage("plain")).toBe("plain");
  });
});

describe("readMask", () => {
  it("reads the acknowledgement, the limits and the totals", () => {
    const v = view({
      safety_acknowledgement: { state: "on" },
      zone_limit: { state: "30", attributes: LIMITS },
      sessions_total: { state: "12" },
      therapy_time_total: { state: "7800", attributes: { unit_of_measurement: "s" } },
      fault: { state: "none" },
    });
    expect(v.acknowledged).toBe(true);
    expect(v.limits).toEqual({ face: 30, under_eye: 15, neck: 20 });
    expect(v.sessionsTotal).toBe(12);
    expect(v.therapyTimeTotal).toBe(7800);
    expect(v.fault).toBeUndefined();
    expect(view({ status: { state: "ready" } }).acknowledged).toBeUndefined();
  });
});
