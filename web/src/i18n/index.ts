/**
 * Korean and English text. The language comes from ?lang=ko|en when the URL has it,
 * else from the browser's language (Korean for ko-*, English otherwise).
 */
import { en, type MessageKey } from "./en.ts";
import { ko } from "./ko.ts";

export const LANGS = ["ko", "en"] as const;
export type Lang = (typeof LANGS)[number];
export type { MessageKey };

const DICTS: Record<Lang, Record<MessageKey, string>> = { ko, en };

/** The language for a URL query string and the browser's language list. */
export function pickLang(search: string, browser: readonly string[]): Lang {
  const asked = new URLSearchParams(search).get("lang");
  if (asked === "ko" || asked === "en") return asked;
  for (const b of browser) {
    const l = b.toLowerCase();
    if (l.startsWith("ko")) return "ko";
    if (l.startsWith("en")) return "en";
  }
  return "en";
}

/** A translator for `lang`: `{name}` placeholders are filled from `vars`. */
export function translator(
  lang: Lang,
): (key: MessageKey, vars?: Record<string, string | number>) => string {
  const dict = DICTS[lang];
  return (key, vars) => {
    const text = dict[key] ?? en[key] ?? key;
    return vars === undefined
      ? text
      : text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  };
}

export type T = ReturnType<typeof translator>;
