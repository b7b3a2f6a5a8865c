// The face drawing: six zones, the current one lit, the phase as its motion, the breathing
// warm-up as the whole face breathing. Decorative for screen readers (the status line says it).

import { svg, type SVGTemplateResult } from "lit";

import type { Zone } from "./logic";

// Shapes on a 200 x 260 face; each zone is one or two outlines.
const ZONE_SHAPES: Record<Zone, SVGTemplateResult> = {
  forehead: svg`<path d="M62 62 Q100 30 138 62 L134 82 Q100 70 66 82 Z" />`,
  temples: svg`<ellipse cx="50" cy="98" rx="9" ry="15" /><ellipse cx="150" cy="98" rx="9" ry="15" />`,
  under_eye: svg`<path d="M66 112 Q80 122 94 112 L94 118 Q80 128 66 118 Z" /><path d="M106 112 Q120 122 134 112 L134 118 Q120 128 106 118 Z" />`,
  cheeks: svg`<ellipse cx="70" cy="142" rx="15" ry="14" /><ellipse cx="130" cy="142" rx="15" ry="14" />`,
  jaw: svg`<path d="M58 170 Q100 214 142 170 L146 180 Q100 226 54 180 Z" />`,
  neck: svg`<path d="M76 214 L124 214 L128 252 L72 252 Z" />`,
};

export function faceDrawing(
  active: Zone | undefined,
  phase: string | undefined,
  breathing: "in" | "out" | undefined,
): SVGTemplateResult {
  const zones = (Object.keys(ZONE_SHAPES) as Zone[]).map(
    (zone) =>
      svg`<g class="zone ${zone === active ? `active ${phase ?? ""}` : ""}" data-zone=${zone}>${ZONE_SHAPES[zone]}</g>`,
  );
  return svg`<svg class="face ${breathing ? `breathing-${breathing}` : ""}" viewBox="0 0 200 260"
      aria-hidden="true" focusable="false">
    <path class="outline" d="M100 22 C48 22 38 70 40 110 C42 160 62 204 100 212 C138 204 158 160 160 110 C162 70 152 22 100 22 Z" />
    <path class="outline" d="M76 212 L72 254 M124 212 L128 254" />
    <ellipse class="feature" cx="80" cy="104" rx="10" ry="5" />
    <ellipse class="feature" cx="120" cy="104" rx="10" ry="5" />
    <path class="feature" d="M100 112 L95 140 L104 141" />
    <path class="feature" d="M86 166 Q100 174 114 166" />
    ${zones}
  </svg>`;
}
