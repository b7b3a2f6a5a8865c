// What the card says, as pure functions of a snapshot of the mask's entities: the status line,
// why Start would be refused, times as m:ss, zones and their limits. No DOM here.

import type { EntityKey, Mask } from "./discovery";
import type { HassEntity, HomeAssistant } from "./hass";
import type { Localize, StringKey } from "./translations";

export const ZONES = ["forehead", "temples", "under_eye", "cheeks", "jaw", "neck"] as const;
export type Zone = (typeof ZONES)[number];

/** The attribute of the zone_limit sensor that holds a zone's configured limit. */
export function zoneLimitAttribute(zone: string | undefined): "face_limit" | "under_eye_limit" | "neck_limit" {
  if (zone === "under_eye") return "under_eye_limit";
  if (zone === "neck") return "neck_limit";
  return "face_limit";
}

/** A zone the face drawing lights, or undefined (no zone: breathing, idle). */
export function drawnZone(zone: string | undefined): Zone | undefined {
  return (ZONES as readonly string[]).includes(zone ?? "") ? (zone as Zone) : undefined;
}

/** Seconds as m:ss (h:mm:ss from an hour on); never negative. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** The wall-clock time of an ISO timestamp, in Home Assistant's time zone ("7:42"). */
export function formatClock(iso: string, language: string, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat(language, {
    hour: "numeric",
    minute: "2-digit",
    timeZone,
  }).format(new Date(iso));
}

/** A numeric state or attribute, or undefined when it is not a number (unknown, unavailable). */
export function toNumber(value: unknown): number | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Everything the card shows, read once per render from the mask's entity states. */
export interface MaskView {
  status?: string;
  statusAttributes: Record<string, unknown>;
  readiness?: string;
  readinessAttributes: Record<string, unknown>;
  zone?: string;
  phase?: string;
  fault?: string;
  faultName?: string;
  connected: boolean;
  pressure?: number;
  peak?: number;
  target?: number;
  zoneLimit?: number;
  limits: { face?: number; under_eye?: number; neck?: number };
  elapsedS?: number;
  remainingS?: number;
  remainingAttributes: Record<string, unknown>;
  durationMin?: number;
  sessionsToday?: number;
  dailyCap?: number;
  sessionsTotal?: number;
  therapyTimeTotal?: number;
  therapyTimeUnit?: string;
  cooldownEnds?: string;
  acknowledged?: boolean;
}

const UNKNOWN = new Set(["unknown", "unavailable"]);

function known(entity: HassEntity | undefined): string | undefined {
  return entity && !UNKNOWN.has(entity.state) ? entity.state : undefined;
}

export function readMask(hass: HomeAssistant, mask: Mask): MaskView {
  const get = (key: EntityKey): HassEntity | undefined => {
    const id = mask.entities[key];
    return id ? hass.states[id] : undefined;
  };
  const number = (key: EntityKey): number | undefined => toNumber(known(get(key)));
  const zoneLimit = get("zone_limit")?.attributes ?? {};
  const sessionsToday = get("sessions_today");
  const therapy = get("therapy_time_total");
  const acknowledgement = known(get("safety_acknowledgement"));
  const fault = known(get("fault"));
  return {
    status: known(get("status")),
    statusAttributes: get("status")?.attributes ?? {},
    readiness: known(get("start_readiness")),
    readinessAttributes: get("start_readiness")?.attributes ?? {},
    zone: known(get("zone")),
    phase: known(get("phase")),
    fault: fault === "none" ? undefined : fault,
    faultName:
      fault && fault !== "none" && hass.formatEntityState ? hass.formatEntityState(get("fault") as HassEntity) : undefined,
    connected: known(get("connected")) === "on",
    pressure: number("pressure"),
    peak: number("session_peak_pressure"),
    target: number("target_pressure"),
    zoneLimit: number("zone_limit"),
    limits: {
      face: toNumber(zoneLimit.face_limit),
      under_eye: toNumber(zoneLimit.under_eye_limit),
      neck: toNumber(zoneLimit.neck_limit),
    },
    elapsedS: number("session_elapsed"),
    remainingS: number("session_remaining"),
    remainingAttributes: get("session_remaining")?.attributes ?? {},
    durationMin: number("session_duration"),
    sessionsToday: number("sessions_today"),
    dailyCap: toNumber(sessionsToday?.attributes.daily_cap),
    sessionsTotal: number("sessions_total"),
    therapyTimeTotal: number("therapy_time_total"),
    therapyTimeUnit: therapy?.attributes.unit_of_measurement as string | undefined,
    cooldownEnds: known(get("cooldown_ends")),
    acknowledged: acknowledgement === undefined ? undefined : acknowledgement === "on",
  };
}

/** How a line should look: plain, in progress, a warning, or an error. */
export type Tone = "normal" | "active" | "warning" | "error";

export interface Line {
  text: string;
  tone: Tone;
}

export interface Context {
  t: Localize;
  language: string;
  timeZone?: string;
  now: Date;
}

function clock(ctx: Context, iso: unknown): string | undefined {
  return typeof iso === "string" && !Number.isNaN(Date.parse(iso))
    ? formatClock(iso, ctx.language, ctx.timeZone)
    : undefined;
}

function zoneName(ctx: Context, zone: unknown): string {
  const key = `zone.${String(zone)}` as StringKey;
  return (ZONES as readonly string[]).includes(String(zone)) ? ctx.t(key) : String(zone);
}

function faultLine(view: MaskView, ctx: Context): string {
  const a = view.statusAttributes;
  const fault = view.faultName ?? view.fault ?? ctx.t("phase.fault");
  const next_step = ctx.t("status.fault_next_step");
  const zone = drawnZone(a.fault_zone as string | undefined);
  const pressure = toNumber(a.fault_pressure_mmhg);
  if (zone && pressure !== undefined) {
    return ctx.t("status.fault_zone", {
      fault,
      zone: zoneName(ctx, zone),
      pressure: Math.round(pressure),
      next_step,
    });
  }
  return ctx.t("status.fault", { fault, next_step });
}

/** The cooldown's end and the daily cap, told the same way by the status and the readiness. */
function pacingText(
  rule: "cooling_down" | "daily_limit_reached",
  line: "status" | "readiness",
  view: MaskView,
  ctx: Context,
): string {
  if (rule === "daily_limit_reached") {
    return ctx.t(`${line}.daily_limit_reached`, { sessions: view.sessionsToday ?? "?", cap: view.dailyCap ?? "?" });
  }
  const time = clock(ctx, view.readinessAttributes.until ?? view.cooldownEnds);
  return time ? ctx.t(`${line}.cooling_down`, { time }) : ctx.t(`${line}.cooling_down_no_time`);
}

/** The one plain-language status line. */
export function statusLine(view: MaskView, ctx: Context): Line {
  const { t } = ctx;
  const a = view.statusAttributes;
  switch (view.status) {
    case undefined:
      return { text: t("status.unavailable"), tone: "warning" };
    case "ready":
      return {
        text: view.connected ? t("status.ready") : `${t("status.ready")} (${t("status.idle")})`,
        tone: "normal",
      };
    case "armed": {
      const until = typeof a.armed_until === "string" ? Date.parse(a.armed_until) : NaN;
      return {
        text: Number.isNaN(until)
          ? t("status.armed_no_time")
          : t("status.armed", { left: formatDuration(Math.floor((until - ctx.now.getTime()) / 1000)) }),
        tone: "active",
      };
    }
    case "breathing":
      return {
        text: t(a.breathing_phase === "out" ? "status.breathing_out" : "status.breathing_in", {
          breath: String(a.breath ?? "?"),
          breaths: String(a.breaths ?? "?"),
        }),
        tone: "active",
      };
    case "running": {
      const zone = zoneName(ctx, view.zone);
      if (a.step === undefined || a.steps === undefined) {
        return { text: t("status.running_zone", { zone }), tone: "active" };
      }
      return {
        text: t("status.running", {
          zone,
          step: String(a.step),
          steps: String(a.steps),
          repetition: String(a.repetition ?? "?"),
          repetitions: String(a.repetitions ?? "?"),
        }),
        tone: "active",
      };
    }
    case "paused":
      return { text: t("status.paused"), tone: "warning" };
    case "venting":
      return { text: t("status.venting"), tone: "warning" };
    case "cooling_down":
    case "daily_limit_reached":
      return { text: pacingText(view.status, "status", view, ctx), tone: "normal" };
    case "needs_acknowledgement":
      return { text: t("status.needs_acknowledgement"), tone: "warning" };
    case "fault":
      return { text: faultLine(view, ctx), tone: "error" };
    case "out_of_range":
      return { text: t("status.out_of_range"), tone: "warning" };
    default:
      return { text: view.status, tone: "normal" };
  }
}

/** Why Start would be refused, before it is pressed; undefined when Start would go ahead. */
export function readinessLine(view: MaskView, ctx: Context): Line | undefined {
  const { t } = ctx;
  switch (view.readiness) {
    case undefined:
    case "ready":
      return undefined;
    case "session_active":
      return { text: t("readiness.session_active"), tone: "normal" };
    case "cooling_down":
    case "daily_limit_reached":
      return { text: pacingText(view.readiness, "readiness", view, ctx), tone: "warning" };
    case "needs_acknowledgement":
    case "fault":
    case "low_battery":
    case "out_of_range":
      return {
        text: t(`readiness.${view.readiness}`),
        tone: view.readiness === "fault" ? "error" : "warning",
      };
    default:
      return { text: view.readiness, tone: "warning" };
  }
}

/** The pressure meter: the scale ends at the current zone's configured limit. */
export interface Meter {
  limit: number;
  fraction: number;
  band: "normal" | "above_target" | "at_limit";
}

export function pressureMeter(view: MaskView): Meter | undefined {
  const limit = view.zoneLimit;
  if (limit === undefined || limit <= 0) return undefined;
  const pressure = view.pressure ?? 0;
  const band =
    pressure >= limit ? "at_limit" : view.target !== undefined && pressure > view.target ? "above_target" : "normal";
  return { limit, fraction: Math.min(1, Math.max(0, pressure / limit)), band };
}

/**
 * Elapsed and left, from the mask's two sensors: they add up to what the mask runs, which is the
 * routine's length when its steps and repetitions end before the duration the person chose.
 * `planned` says so ("routine": 5:54 of the 10:00 chosen), or that the chosen duration ends it.
 */
export interface Progress {
  elapsedS: number;
  remainingS: number;
  fraction: number;
  planned?: { endsWith: "routine" | "session_duration"; plannedS: number; chosenS: number };
}

function plannedLength(view: MaskView): Progress["planned"] {
  const a = view.remainingAttributes;
  const plannedS = toNumber(a.planned_duration_s);
  const chosenS = toNumber(a.chosen_duration_s);
  if (plannedS === undefined || chosenS === undefined) return undefined;
  if (a.ends_with !== "routine" && a.ends_with !== "session_duration") return undefined;
  return { endsWith: a.ends_with, plannedS, chosenS };
}

export function progress(view: MaskView): Progress | undefined {
  if (view.elapsedS === undefined || view.remainingS === undefined) return undefined;
  const total = view.elapsedS + view.remainingS;
  if (total <= 0) return undefined;
  return {
    elapsedS: view.elapsedS,
    remainingS: view.remainingS,
    fraction: Math.min(1, view.elapsedS / total),
    planned: plannedLength(view),
  };
}

/** Why elapsed and left add up to what they do: the routine's length, or the chosen duration. */
export function plannedText(planned: NonNullable<Progress["planned"]>, t: Localize): string {
  const chosen = formatDuration(planned.chosenS);
  if (planned.endsWith === "session_duration") return t("progress.deadline", { chosen });
  return t("progress.planned", { planned: formatDuration(planned.plannedS), chosen });
}

/** The message of a failed service call: Home Assistant's translated error, in full. */
export function errorMessage(err: unknown): string {
  if (err && typeof err === "object" && "message" in err && typeof err.message === "string") {
    return err.message;
  }
  return String(err);
}
