import { describe, expect, it } from "vitest";

import { EN, TRANSLATIONS, localizer } from "../src/translations";

// The placeholders of a string, e.g. "{sessions} of {cap}" -> ["cap", "sessions"].
const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();

const languages = Object.keys(TRANSLATIONS).filter((code) => code !== "en");

describe("translations", () => {
  it("has the languages the integration ships", () => {
    expect(languages.sort()).toEqual(["de", "es", "fr", "it", "nl", "pl", "pt-BR", "sv"]);
  });

  it.each(languages)("%s has exactly the English keys, none empty", (code) => {
    const table = TRANSLATIONS[code]!;
    expect(Object.keys(table).sort()).toEqual(Object.keys(EN).sort());
    for (const text of Object.values(table)) expect(text.trim()).not.toBe("");
  });

  it.each(languages)("%s has the English placeholders in every string", (code) => {
    const table = TRANSLATIONS[code]!;
    const different = Object.entries(EN).filter(
      ([key, text]) => placeholders(table[key as keyof typeof EN] ?? "").join() !== placeholders(text).join(),
    );
    expect(different.map(([key]) => key)).toEqual([]);
  });

  it("picks the person's language, then its base language, then English", () => {
    expect(localizer("de")("totals.today", { sessions: 1, cap: 2 })).toBe("1 von 2 Sitzungen heute");
    expect(localizer("pt-BR")("ack.contraindications")).toBe("Contraindicações");
    expect(localizer("de-CH")("status.ready")).toBe("Bereit");
  });
});
