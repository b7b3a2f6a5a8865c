// The card's own strings, keyed by language. English is the source of truth: every other
// language (languages.ts) has exactly its keys and placeholders. Placeholders are {name}.

import { DE, ES, FR, IT, NL, PL, PT_BR, SV } from "./languages";

export const EN = {
  "card.name": "Pressure mask",
  "card.description": "The pressure mask: face zones, pressure against the limit, session controls.",
  "card.no_mask": "No pressure mask found. Add one in Settings > Devices & services.",
  "card.device": "Mask",

  "status.ready": "Ready",
  "status.idle": "idle",
  "status.armed": "Press the mask's button to begin ({left} left)",
  "status.armed_no_time": "Press the mask's button to begin",
  "status.breathing_in": "Breathe in ({breath} of {breaths})",
  "status.breathing_out": "Breathe out ({breath} of {breaths})",
  "status.running": "{zone}, step {step} of {steps}, repetition {repetition} of {repetitions}",
  "status.running_zone": "{zone}",
  "status.paused": "Paused",
  "status.venting": "Venting",
  "status.cooling_down": "Cooling down until {time}",
  "status.cooling_down_no_time": "Cooling down",
  "status.daily_limit_reached": "{sessions} of {cap} sessions today",
  "status.needs_acknowledgement":
    "Read the contraindications, then turn on the safety acknowledgement",
  "status.fault": "Safety fault: {fault}. {next_step}",
  "status.fault_zone": "Safety fault: {fault}, {zone} at {pressure} mmHg. {next_step}",
  "status.fault_next_step":
    "Check the mask and its fit, then turn on the safety acknowledgement again.",
  "status.out_of_range": "Out of range",
  "status.unavailable": "The mask is not available",

  "readiness.ready": "Start is possible",
  "readiness.session_active": "Start would be refused: a session is already running",
  "readiness.needs_acknowledgement": "Start would be refused: the safety acknowledgement is off",
  "readiness.cooling_down": "Start would be refused: cooling down until {time}",
  "readiness.cooling_down_no_time": "Start would be refused: cooling down",
  "readiness.daily_limit_reached": "Start would be refused: {sessions} of {cap} sessions today",
  "readiness.fault": "Start would be refused: a safety fault is active",
  "readiness.low_battery": "Start would be refused: the battery is low, charge the mask",
  "readiness.out_of_range": "Start would be refused: the mask is out of range",

  "zone.none": "No zone",
  "zone.face": "Face",
  "zone.forehead": "Forehead",
  "zone.temples": "Temples",
  "zone.under_eye": "Under-eye",
  "zone.cheeks": "Cheeks",
  "zone.jaw": "Jaw",
  "zone.neck": "Neck",

  "phase.idle": "Idle",
  "phase.armed": "Armed",
  "phase.inflating": "Inflating",
  "phase.holding": "Holding",
  "phase.releasing": "Releasing",
  "phase.paused": "Paused",
  "phase.venting": "Venting",
  "phase.fault": "Fault",

  "pressure.label": "Pressure",
  "pressure.of_limit": "{pressure} of {limit} mmHg ({zone} limit)",
  "pressure.peak": "Peak {peak} mmHg",
  "pressure.limits": "Limits: face {face}, under-eye {under_eye}, neck {neck} mmHg",
  "pressure.meter": "Pressure {pressure} mmHg, limit {limit} mmHg",

  "progress.label": "Session progress",
  "progress.text": "{elapsed} elapsed, {left} left",
  "progress.planned": "The routine takes {planned} of the {chosen} you chose: it ends when its steps and repetitions are done.",
  "progress.deadline": "Ends when the {chosen} you chose are up.",

  "action.start": "Start",
  "action.stop": "Stop",
  "action.vent": "Vent",
  "action.failed": "{action} failed: {message}",

  "control.routine": "Routine",
  "control.target_pressure": "Target pressure",
  "control.session_duration": "Duration",
  "control.range": "{min} to {max} {unit}",

  "ack.label": "Safety acknowledgement",
  "ack.on": "Given",
  "ack.off": "Not given",
  "ack.contraindications": "Contraindications",

  "totals.today": "{sessions} of {cap} sessions today",
  "totals.total": "Sessions in total: {sessions} · therapy time: {minutes} min",

  "editor.device": "Mask",
} as const;

export type StringKey = keyof typeof EN;
export type Strings = Partial<Record<StringKey, string>>;

// Home Assistant's language codes; a regional code ("de-CH") falls back to its language.
export const TRANSLATIONS: Record<string, Strings> = {
  en: EN,
  de: DE,
  fr: FR,
  es: ES,
  it: IT,
  nl: NL,
  pl: PL,
  "pt-BR": PT_BR,
  sv: SV,
};

export type Placeholders = Record<string, string | number>;
export type Localize = (key: StringKey, placeholders?: Placeholders) => string;

/** A localize function for a Home Assistant language code ("de", "pt-BR"), English fallback. */
export function localizer(language: string | undefined): Localize {
  const code = language ?? "en";
  const table = TRANSLATIONS[code] ?? TRANSLATIONS[code.split("-")[0]] ?? EN;
  return (key, placeholders = {}) =>
    (table[key] ?? EN[key]).replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in placeholders ? String(placeholders[name]) : whole,
    );
}
