// custom:pressure-mask-card: one mask's session at a glance, and its controls.

import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from "lit";

import { type EntityKey, type Mask, DOMAIN, findMask, findMasks } from "./discovery";
import { faceDrawing } from "./face";
import type { HassEntity, HomeAssistant } from "./hass";
import {
  type Context,
  type MaskView,
  drawnZone,
  errorMessage,
  formatDuration,
  plannedText,
  pressureMeter,
  progress,
  readMask,
  readinessLine,
  statusLine,
  toNumber,
  zoneLimitAttribute,
} from "./logic";
import { type Localize, type StringKey, localizer } from "./translations";

declare const __CARD_VERSION__: string;
export const CARD_VERSION = __CARD_VERSION__;
export const CARD_TYPE = "pressure-mask-card";

export interface CardConfig {
  type: string;
  device?: string;
}

type Action = "start" | "stop" | "vent";
const ACTION_BUTTONS: Record<Action, EntityKey> = {
  start: "start_session",
  stop: "stop_session",
  vent: "vent",
};

const CONTRAINDICATIONS_URL =
  "https://github.com/pressure-mask/pressure_mask/blob/main/docs/safety.md#who-should-not-use-the-mask";

export class PressureMaskCard extends LitElement {
  static override properties = {
    hass: { attribute: false },
    _config: { state: true },
    _error: { state: true },
    _now: { state: true },
    _drafts: { state: true },
  };

  declare hass?: HomeAssistant;
  declare _config?: CardConfig;
  declare _error?: string;
  declare _now: Date;
  declare _drafts: Partial<Record<EntityKey, number>>;
  private _timer?: ReturnType<typeof setInterval>;
  private _lastStatus?: string;

  constructor() {
    super();
    this._now = new Date();
    this._drafts = {};
  }

  static getStubConfig(hass: HomeAssistant): CardConfig {
    const mask = findMasks(hass)[0];
    return mask ? { type: `custom:${CARD_TYPE}`, device: mask.deviceId } : { type: `custom:${CARD_TYPE}` };
  }

  static getConfigForm() {
    return {
      schema: [{ name: "device", selector: { device: { integration: DOMAIN } } }],
      computeLabel: () => localizer(navigator.language)("editor.device"),
    };
  }

  setConfig(config: CardConfig): void {
    if (!config || typeof config !== "object") throw new Error("Invalid configuration");
    this._config = config;
  }

  getCardSize(): number {
    return 9;
  }

  getGridOptions() {
    return { columns: 12, min_columns: 6, rows: "auto" };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Countdowns (armed, cooling down) advance every second between state changes.
    this._timer = setInterval(() => (this._now = new Date()), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this._timer);
  }

  protected override shouldUpdate(changed: PropertyValues<this>): boolean {
    if (!changed.has("hass") || changed.size > 1) return true;
    const old = changed.get("hass") as HomeAssistant | undefined;
    const mask = this._mask();
    if (!old || !mask || old.language !== this.hass?.language || old.themes !== this.hass?.themes) return true;
    return Object.values(mask.entities).some((id) => old.states[id] !== this.hass?.states[id]);
  }

  protected override willUpdate(): void {
    // An error belongs to the situation it happened in: when the mask's status changes, it goes.
    const mask = this._mask();
    const status = mask ? this._state(mask, "status")?.state : undefined;
    if (status !== this._lastStatus) {
      if (this._lastStatus !== undefined) this._error = undefined;
      this._lastStatus = status;
    }
  }

  private _mask(): Mask | undefined {
    return this.hass ? findMask(this.hass, this._config?.device) : undefined;
  }

  private _t(): Localize {
    return localizer(this.hass?.locale?.language ?? this.hass?.language);
  }

  private _context(): Context {
    const language = this.hass?.locale?.language ?? this.hass?.language ?? "en";
    const timeZone =
      this.hass?.locale?.time_zone === "local" ? undefined : this.hass?.config?.time_zone;
    return { t: this._t(), language, timeZone, now: this._now };
  }

  private _state(mask: Mask, key: EntityKey): HassEntity | undefined {
    const id = mask.entities[key];
    return id ? this.hass?.states[id] : undefined;
  }

  private async _call(
    label: string,
    domain: string,
    service: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    if (!this.hass) return;
    this._error = undefined;
    try {
      // The card shows the error itself, in full: no toast from the frontend as well.
      await this.hass.callService(domain, service, data, undefined, false);
    } catch (err) {
      this._error = this._t()("action.failed", { action: label, message: errorMessage(err) });
    }
  }

  private _press(mask: Mask, action: Action): void {
    const entity = mask.entities[ACTION_BUTTONS[action]];
    if (entity) void this._call(this._t()(`action.${action}`), "button", "press", { entity_id: entity });
  }

  protected override render(): TemplateResult {
    const t = this._t();
    const mask = this._mask();
    if (!this.hass || !mask) {
      return html`<ha-card><p class="empty">${t("card.no_mask")}</p></ha-card>`;
    }
    const ctx = this._context();
    const view = readMask(this.hass, mask);
    const status = statusLine(view, ctx);
    const readiness = readinessLine(view, ctx);
    const breathing =
      view.status === "breathing" ? (view.statusAttributes.breathing_phase === "out" ? "out" : "in") : undefined;
    const zone = view.status === "running" ? drawnZone(view.zone) : undefined;
    const phaseLabel =
      zone && view.phase ? t(`phase.${view.phase}` as StringKey) : undefined;

    return html`<ha-card>
      <div class="header">
        <h2 class="name">${mask.name}</h2>
        ${this._renderAcknowledgementChip(view, t)}
      </div>
      <div class="body">
        <figure class="face-figure">
          ${faceDrawing(zone, view.phase, breathing)}
          <figcaption aria-hidden="true">
            ${zone ? html`${t(`zone.${zone}`)}${phaseLabel ? html` · ${phaseLabel}` : nothing}` : nothing}
          </figcaption>
        </figure>
        <div class="info">
          <p class="status tone-${status.tone}" role="status" aria-live="polite" data-testid="status">
            ${status.text}
          </p>
          ${this._renderMeter(view, t)} ${this._renderProgress(view, t)}
        </div>
      </div>
      ${readiness
        ? html`<p id="readiness" class="readiness tone-${readiness.tone}" data-testid="readiness">
            ${readiness.text}
          </p>`
        : nothing}
      ${this._error
        ? html`<p class="error" role="alert" data-testid="error">${this._error}</p>`
        : nothing}
      <div class="actions">
        <button
          class="start"
          aria-describedby=${readiness ? "readiness" : nothing}
          @click=${() => this._press(mask, "start")}
        >
          ${t("action.start")}
        </button>
        <button class="stop" @click=${() => this._press(mask, "stop")}>${t("action.stop")}</button>
        <button class="vent" @click=${() => this._press(mask, "vent")}>${t("action.vent")}</button>
      </div>
      <div class="controls">
        ${this._renderRoutine(mask, t)} ${this._renderNumber(mask, "target_pressure", t)}
        ${this._renderNumber(mask, "session_duration", t)}
      </div>
      ${this._renderAcknowledgement(mask, view, t)} ${this._renderTotals(view, t)}
    </ha-card>`;
  }

  private _renderAcknowledgementChip(view: MaskView, t: Localize) {
    if (view.acknowledged === undefined) return nothing;
    return html`<span class="chip ${view.acknowledged ? "on" : "off"}">
      ${t("ack.label")}: ${t(view.acknowledged ? "ack.on" : "ack.off")}
    </span>`;
  }

  private _renderMeter(view: MaskView, t: Localize) {
    const meter = pressureMeter(view);
    if (!meter) return nothing;
    const pressure = Math.round(view.pressure ?? 0);
    // With no zone pressed, the scale is the face limit (the zone_limit sensor says so).
    const zone = t(`zone.${zoneLimitAttribute(view.zone) === "face_limit" ? "face" : drawnZone(view.zone)}` as StringKey);
    const limits = view.limits;
    return html`<div class="meter-block">
      <div
        class="meter band-${meter.band}"
        role="meter"
        aria-label=${t("pressure.label")}
        aria-valuemin="0"
        aria-valuemax=${meter.limit}
        aria-valuenow=${pressure}
        aria-valuetext=${t("pressure.meter", { pressure, limit: meter.limit })}
      >
        <div class="fill" style="width: ${(meter.fraction * 100).toFixed(1)}%"></div>
        ${view.target !== undefined && view.target < meter.limit
          ? html`<div class="target" style="left: ${((view.target / meter.limit) * 100).toFixed(1)}%"></div>`
          : nothing}
      </div>
      <p class="meter-text">
        <span data-testid="pressure">${t("pressure.of_limit", { pressure, limit: meter.limit, zone })}</span>
        ${view.peak !== undefined
          ? html`<span class="peak">${t("pressure.peak", { peak: Math.round(view.peak) })}</span>`
          : nothing}
      </p>
      ${limits.face !== undefined && limits.under_eye !== undefined && limits.neck !== undefined
        ? html`<p class="limits">
            ${t("pressure.limits", { face: limits.face, under_eye: limits.under_eye, neck: limits.neck })}
          </p>`
        : nothing}
    </div>`;
  }

  private _renderProgress(view: MaskView, t: Localize) {
    const p = progress(view);
    if (!p) return nothing;
    const text = t("progress.text", {
      elapsed: formatDuration(p.elapsedS),
      left: formatDuration(p.remainingS),
    });
    return html`<div class="progress-block">
      <div
        class="progress"
        role="progressbar"
        aria-label=${t("progress.label")}
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${Math.round(p.fraction * 100)}
        aria-valuetext=${text}
      >
        <div class="fill" style="width: ${(p.fraction * 100).toFixed(1)}%"></div>
      </div>
      <p class="progress-text" data-testid="progress">${text}</p>
      ${p.planned ? html`<p class="progress-text" data-testid="planned">${plannedText(p.planned, t)}</p>` : nothing}
    </div>`;
  }

  private _renderRoutine(mask: Mask, t: Localize) {
    const entity = this._state(mask, "routine");
    if (!entity) return nothing;
    const options = (entity.attributes.options as string[] | undefined) ?? [];
    const label = (option: string) => this.hass?.formatEntityState?.(entity, option) ?? option;
    return html`<label class="control">
      <span class="control-name">${t("control.routine")}</span>
      <select
        .value=${entity.state}
        ?disabled=${entity.state === "unavailable"}
        @change=${(ev: Event) =>
          this._call(t("control.routine"), "select", "select_option", {
            entity_id: entity.entity_id,
            option: (ev.target as HTMLSelectElement).value,
          })}
      >
        ${options.map(
          (option) => html`<option value=${option} ?selected=${option === entity.state}>${label(option)}</option>`,
        )}
      </select>
    </label>`;
  }

  private _renderNumber(mask: Mask, key: "target_pressure" | "session_duration", t: Localize) {
    const entity = this._state(mask, key);
    if (!entity) return nothing;
    const a = entity.attributes;
    const min = toNumber(a.min) ?? 0;
    const max = toNumber(a.max) ?? 100;
    const step = toNumber(a.step) ?? 1;
    const unit = String(a.unit_of_measurement ?? "");
    const value = this._drafts[key] ?? toNumber(entity.state);
    const name = t(`control.${key}`);
    const range = t("control.range", { min, max, unit });
    return html`<label class="control">
      <span class="control-name">${name}</span>
      <span class="control-value">${value ?? "–"} ${unit}</span>
      <input
        type="range"
        min=${min}
        max=${max}
        step=${step}
        .value=${String(value ?? min)}
        aria-valuetext="${value ?? ""} ${unit}"
        ?disabled=${value === undefined}
        @input=${(ev: Event) => {
          this._drafts = { ...this._drafts, [key]: Number((ev.target as HTMLInputElement).value) };
        }}
        @change=${async (ev: Event) => {
          await this._call(name, "number", "set_value", {
            entity_id: entity.entity_id,
            value: Number((ev.target as HTMLInputElement).value),
          });
          const { [key]: _sent, ...rest } = this._drafts;
          this._drafts = rest;
        }}
      />
      <span class="control-range">${range}</span>
    </label>`;
  }

  private _renderAcknowledgement(mask: Mask, view: MaskView, t: Localize) {
    const entity = mask.entities.safety_acknowledgement;
    if (!entity) return nothing;
    const name = this.hass?.states[entity]?.attributes.friendly_name;
    return html`<div class="ack">
      <button
        class="toggle ${view.acknowledged ? "on" : "off"}"
        role="switch"
        aria-checked=${view.acknowledged ? "true" : "false"}
        aria-label=${t("ack.label")}
        title=${typeof name === "string" ? name : t("ack.label")}
        @click=${() =>
          this._call(t("ack.label"), "switch", view.acknowledged ? "turn_off" : "turn_on", {
            entity_id: entity,
          })}
      >
        <span class="knob"></span>
      </button>
      <span class="ack-text">${t("ack.label")}: ${t(view.acknowledged ? "ack.on" : "ack.off")}</span>
      <a href=${CONTRAINDICATIONS_URL} target="_blank" rel="noreferrer">${t("ack.contraindications")}</a>
    </div>`;
  }

  private _renderTotals(view: MaskView, t: Localize) {
    const parts: string[] = [];
    if (view.sessionsToday !== undefined && view.dailyCap !== undefined) {
      parts.push(t("totals.today", { sessions: view.sessionsToday, cap: view.dailyCap }));
    }
    if (view.sessionsTotal !== undefined && view.therapyTimeTotal !== undefined) {
      const minutes =
        view.therapyTimeUnit === "s" ? view.therapyTimeTotal / 60 : view.therapyTimeUnit === "h" ? view.therapyTimeTotal * 60 : view.therapyTimeTotal;
      parts.push(t("totals.total", { sessions: view.sessionsTotal, minutes: Math.round(minutes) }));
    }
    return parts.length ? html`<p class="totals">${parts.join(" · ")}</p>` : nothing;
  }

  static override styles = css`
    :host {
      --pm-active: var(--primary-color);
      --pm-warning: var(--warning-color, #ffa600);
      --pm-error: var(--error-color, #db4437);
      --pm-track: var(--secondary-background-color, #e5e5e5);
    }
    ha-card {
      padding: 16px;
      display: flex;
      flex-direction: column;
      gap: 12px;
      color: var(--primary-text-color);
    }
    .header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
    }
    .name {
      margin: 0;
      font-size: var(--ha-font-size-xl, 20px);
      font-weight: var(--ha-font-weight-normal, 400);
    }
    .chip {
      font-size: var(--ha-font-size-s, 12px);
      padding: 2px 10px;
      border-radius: 12px;
      border: 1px solid var(--divider-color);
    }
    .chip.on {
      color: var(--success-color, #43a047);
      border-color: currentColor;
    }
    .chip.off {
      color: var(--pm-warning);
      border-color: currentColor;
    }
    .body {
      display: flex;
      flex-wrap: wrap;
      gap: 16px;
      align-items: center;
    }
    .face-figure {
      margin: 0;
      flex: 0 0 128px;
      text-align: center;
    }
    .face {
      width: 128px;
      height: auto;
      transition: transform 3s ease-in-out;
    }
    .face.breathing-in {
      transform: scale(1.06);
    }
    .face.breathing-out {
      transform: scale(0.96);
    }
    .face .outline,
    .face .feature {
      fill: none;
      stroke: var(--secondary-text-color);
      stroke-width: 2;
      stroke-linecap: round;
    }
    .face .zone {
      fill: var(--disabled-color, #bdbdbd);
      opacity: 0.35;
      transition: opacity 0.5s, fill 0.5s;
    }
    .face .zone.active {
      fill: var(--pm-active);
      opacity: 0.9;
    }
    .face .zone.active.inflating {
      animation: inflate 1s ease-in-out infinite alternate;
    }
    .face .zone.active.releasing {
      opacity: 0.5;
    }
    @keyframes inflate {
      from {
        opacity: 0.55;
      }
      to {
        opacity: 1;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .face,
      .face .zone {
        transition: none;
        animation: none !important;
      }
    }
    figcaption {
      min-height: 1.4em;
      color: var(--secondary-text-color);
      font-size: var(--ha-font-size-s, 12px);
    }
    .info {
      flex: 1 1 220px;
      display: flex;
      flex-direction: column;
      gap: 8px;
      min-width: 0;
    }
    .status {
      margin: 0;
      font-size: var(--ha-font-size-l, 16px);
      font-weight: var(--ha-font-weight-medium, 500);
    }
    p {
      margin: 0;
    }
    .tone-active {
      color: var(--pm-active);
    }
    .tone-warning {
      color: var(--pm-warning);
    }
    .tone-error {
      color: var(--pm-error);
    }
    .meter,
    .progress {
      position: relative;
      height: 10px;
      border-radius: 5px;
      background: var(--pm-track);
      overflow: hidden;
    }
    .fill {
      height: 100%;
      background: var(--pm-active);
      transition: width 0.4s;
    }
    .meter.band-above_target .fill {
      background: var(--pm-warning);
    }
    .meter.band-at_limit .fill {
      background: var(--pm-error);
    }
    .target {
      position: absolute;
      top: 0;
      bottom: 0;
      width: 2px;
      background: var(--primary-text-color);
    }
    .meter-text,
    .progress-text,
    .limits,
    .totals,
    .control-range {
      color: var(--secondary-text-color);
      font-size: var(--ha-font-size-s, 13px);
    }
    .meter-text {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      gap: 4px 12px;
    }
    .readiness {
      font-size: var(--ha-font-size-m, 14px);
    }
    .error {
      color: var(--pm-error);
      border-left: 3px solid var(--pm-error);
      padding-left: 8px;
      overflow-wrap: anywhere;
    }
    .actions {
      display: flex;
      gap: 8px;
    }
    .actions button {
      flex: 1 1 0;
      min-height: 44px;
      border: none;
      border-radius: 8px;
      font: inherit;
      font-weight: var(--ha-font-weight-medium, 500);
      cursor: pointer;
      color: var(--text-primary-color, #fff);
    }
    .actions .start {
      background: var(--primary-color);
    }
    .actions .stop {
      background: var(--pm-error);
    }
    .actions .vent {
      background: var(--pm-warning);
      color: var(--primary-text-color);
    }
    button:focus-visible,
    select:focus-visible,
    input:focus-visible,
    a:focus-visible {
      outline: 2px solid var(--primary-color);
      outline-offset: 2px;
    }
    .controls {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(180px, 1fr));
      gap: 12px;
    }
    .control {
      display: grid;
      grid-template-columns: 1fr auto;
      gap: 2px 8px;
      align-items: center;
    }
    .control select,
    .control input,
    .control-range {
      grid-column: 1 / -1;
    }
    .control-value {
      font-weight: var(--ha-font-weight-medium, 500);
    }
    select {
      font: inherit;
      padding: 6px;
      border-radius: 6px;
      border: 1px solid var(--divider-color);
      background: var(--card-background-color, var(--ha-card-background));
      color: var(--primary-text-color);
    }
    input[type="range"] {
      width: 100%;
      accent-color: var(--primary-color);
    }
    .ack {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
      border-top: 1px solid var(--divider-color);
      padding-top: 12px;
    }
    .ack-text {
      flex: 1 1 auto;
    }
    a {
      color: var(--primary-color);
    }
    .toggle {
      width: 40px;
      height: 24px;
      border-radius: 12px;
      border: none;
      padding: 2px;
      cursor: pointer;
      background: var(--disabled-color, #bdbdbd);
      display: flex;
    }
    .toggle.on {
      background: var(--primary-color);
      justify-content: flex-end;
    }
    .knob {
      width: 20px;
      height: 20px;
      border-radius: 50%;
      background: var(--card-background-color, #fff);
    }
    .empty {
      color: var(--secondary-text-color);
    }
  `;
}

if (!customElements.get(CARD_TYPE)) {
  customElements.define(CARD_TYPE, PressureMaskCard);
  const cards = ((window as unknown as { customCards?: unknown[] }).customCards ??= []);
  cards.push({
    type: CARD_TYPE,
    name: localizer(navigator.language)("card.name"),
    description: localizer(navigator.language)("card.description"),
    preview: true,
    documentationURL: "https://github.com/pressure-mask/pressure_mask#the-dashboard-card",
  });
  console.info(`%c PRESSURE-MASK-CARD %c ${CARD_VERSION} `, "font-weight: bold", "");
}
