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

  // A refusal the readiness line predicts reads the same way in every state: each one starts
  // with the language's "Start would be refused:" (session_active once lost it in translation).
  it.each(languages)("%s words every refused readiness like the others", (code) => {
    const table = TRANSLATIONS[code]!;
    const refused = (Object.keys(EN) as (keyof typeof EN)[]).filter(
      (key) => key.startsWith("readiness.") && key !== "readiness.ready",
    );
    const prefix = (text: string | undefined): string => (text ?? "").split(":")[0]!;
    const expected = prefix(table["readiness.needs_acknowledgement"]);
    expect(prefix(EN["readiness.needs_acknowledgement"])).toBe("Start would be refused");
    expect(refused.filter((key) => prefix(table[key]) !== expected)).toEqual([]);
  });

  it("picks the person's language, then its base language, then English", () => {
    expect(localizer("de")("totals.today", { sessions: 1, cap: 2 })).toBe("1 von 2 Sitzungen heute");
    expect(localizer("pt-BR")("ack.contraindications")).toBe("Contraindicações");
    expect(localizer("de-CH")("status.ready")).toBe("Bereit");
  });
});
