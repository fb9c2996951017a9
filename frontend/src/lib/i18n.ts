/**
 * Strings in catalogues (zh-CN first, English second) and a tiny `t()` with {name}
 * interpolation. The chosen language is remembered on the device, and is a signal: the shell
 * reads it and re-renders every string when it changes.
 */
import { signal } from '@preact/signals-core';
import en from '../i18n/en.json';
import zhCN from '../i18n/zh-CN.json';

export type MessageKey = keyof typeof zhCN;
/** A text said with a count: the catalogues hold it once per plural category of the language
 * (`key.one` and `key.other` in English; `key.other` alone in Chinese, which has one form),
 * its `other` form saying `{count}`. */
export type CountedKey = {
  [K in MessageKey]: K extends `${infer Base}.other` ? Base : never;
}[MessageKey];
export type Language = 'zh-CN' | 'en';
export type Params = Record<string, string | number>;

export const LANGUAGES: ReadonlyArray<{ code: Language; label: string }> = [
  { code: 'zh-CN', label: '中文' },
  { code: 'en', label: 'English' },
];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';
const STORAGE_KEY = 'baton.language';

const catalogues: Record<Language, Partial<Record<string, string>>> = { 'zh-CN': zhCN, en };

export const language = signal<Language>(DEFAULT_LANGUAGE);

export function isLanguage(value: unknown): value is Language {
  return value === 'zh-CN' || value === 'en';
}

/** Map what a user record or browser says ("zh", "zh-Hans-CN", "en-GB") to a catalogue. */
export function matchLanguage(tag: string | null | undefined): Language | null {
  if (!tag) return null;
  const lower = tag.toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en';
  return null;
}

export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function translate(language: Language, key: MessageKey | string, params?: Params): string {
  const template = catalogues[language][key] ?? catalogues[DEFAULT_LANGUAGE][key] ?? key;
  return interpolate(template, params);
}

const pluralRules = new Map<Language, Intl.PluralRules>();

/** The language's plural category for `count` ("one", "other", …), from Intl.PluralRules. */
export function pluralCategory(language: Language, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(language);
  if (!rules) {
    rules = new Intl.PluralRules(language);
    pluralRules.set(language, rules);
  }
  return rules.select(count);
}

/** `key` said of `count` things, in the form the language uses for that count; `{count}` is
 * filled in with the others. A category the catalogue lacks reads as `key.other`. */
export function translateCount(language: Language, key: CountedKey, count: number, params?: Params): string {
  const forms = catalogues[language];
  const form = `${key}.${pluralCategory(language, count)}`;
  const chosen = form in forms ? form : `${key}.other`;
  return translate(language, chosen, { ...params, count });
}

// peek(): a string is re-rendered by the shell's remount on a switch, so t() need not make
// every component that calls it a subscriber of its own.
export function t(key: MessageKey, params?: Params): string {
  return translate(language.peek(), key, params);
}

/** t() for a text with a count: "1 change", "2 changes" / "1 项修改", "2 项修改". */
export function tCount(key: CountedKey, count: number, params?: Params): string {
  return translateCount(language.peek(), key, count, params);
}

export function getLanguage(): Language {
  return language.peek();
}

export function setLanguage(next: Language, persist = true): void {
  if (persist) storage()?.setItem(STORAGE_KEY, next);
  if (next === language.peek()) return;
  if (typeof document !== 'undefined') document.documentElement.lang = next;
  language.value = next;
}

/** The remembered choice, else the user's profile language, else the browser's (so a
 * signed-out user on an English phone meets the login in English), else zh-CN. */
export function initLanguage(profileLanguage?: string | null): Language {
  const saved = storage()?.getItem(STORAGE_KEY);
  const chosen = isLanguage(saved)
    ? saved
    : (matchLanguage(profileLanguage) ?? browserLanguage() ?? DEFAULT_LANGUAGE);
  setLanguage(chosen, false);
  if (typeof document !== 'undefined') document.documentElement.lang = chosen;
  return chosen;
}

function browserLanguage(): Language | null {
  if (typeof navigator === 'undefined') return null;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const found = matchLanguage(tag);
    if (found) return found;
  }
  return null;
}

export function hasSavedLanguage(): boolean {
  return isLanguage(storage()?.getItem(STORAGE_KEY));
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
