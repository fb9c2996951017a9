/**
 * Strings in catalogues (zh-CN first, English second) and a tiny `t()` with {name}
 * interpolation. The chosen language is remembered on the device.
 */
import en from '../i18n/en.json';
import zhCN from '../i18n/zh-CN.json';

export type MessageKey = keyof typeof zhCN;
export type Language = 'zh-CN' | 'en';
export type Params = Record<string, string | number>;

export const LANGUAGES: ReadonlyArray<{ code: Language; label: string }> = [
  { code: 'zh-CN', label: '中文' },
  { code: 'en', label: 'English' },
];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';
const STORAGE_KEY = 'baton.language';

const catalogues: Record<Language, Partial<Record<string, string>>> = { 'zh-CN': zhCN, en };

let current: Language = DEFAULT_LANGUAGE;
const listeners = new Set<(language: Language) => void>();

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

export function t(key: MessageKey, params?: Params): string {
  return translate(current, key, params);
}

export function getLanguage(): Language {
  return current;
}

export function setLanguage(language: Language, persist = true): void {
  if (persist) storage()?.setItem(STORAGE_KEY, language);
  if (language === current) return;
  current = language;
  if (typeof document !== 'undefined') document.documentElement.lang = language;
  for (const listener of listeners) listener(language);
}

/** The remembered choice, else the user's profile language, else zh-CN. */
export function initLanguage(profileLanguage?: string | null): Language {
  const saved = storage()?.getItem(STORAGE_KEY);
  const language = isLanguage(saved) ? saved : (matchLanguage(profileLanguage) ?? DEFAULT_LANGUAGE);
  setLanguage(language, false);
  if (typeof document !== 'undefined') document.documentElement.lang = language;
  return language;
}

export function hasSavedLanguage(): boolean {
  return isLanguage(storage()?.getItem(STORAGE_KEY));
}

export function subscribeLanguage(listener: (language: Language) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
