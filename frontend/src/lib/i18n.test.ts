import { effect } from '@preact/signals-core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import en from '../i18n/en.json';
import zhCN from '../i18n/zh-CN.json';
import {
  DEFAULT_LANGUAGE,
  getLanguage,
  initLanguage,
  interpolate,
  language,
  matchLanguage,
  setLanguage,
  t,
  tCount,
  translate,
  translateCount,
} from './i18n';

class MemoryStorage {
  private values = new Map<string, string>();
  getItem(key: string) {
    return this.values.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.values.set(key, value);
  }
  removeItem(key: string) {
    this.values.delete(key);
  }
  clear() {
    this.values.clear();
  }
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const PLURAL_FORM = /\.(zero|one|two|few|many|other)$/;
const catalogues = { 'zh-CN': zhCN, en } as const;

/** Keys as texts, whatever their plural forms: "offline.queued.one" and ".other" are "offline.queued". */
const texts = (catalogue: Record<string, string>) =>
  [...new Set(Object.keys(catalogue).map((key) => key.replace(PLURAL_FORM, '')))].sort();

/** The text in a catalogue, its `other` form when it has plural forms. */
const textOf = (catalogue: Record<string, string>, text: string) =>
  catalogue[text] ?? catalogue[`${text}.other`];

describe('catalogues', () => {
  it('have the same texts in zh-CN and en', () => {
    expect(texts(en)).toEqual(texts(zhCN));
  });

  it('hold a counted text in exactly the plural forms of each language', () => {
    for (const [language, catalogue] of Object.entries(catalogues)) {
      const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories.sort();
      // A counted text's `other` form says the count; `queue.refusal.other` is a fallback, not a form.
      const counted = Object.entries(catalogue)
        .filter(([key, text]) => key.endsWith('.other') && text.includes('{count}'))
        .map(([key]) => key.slice(0, -'.other'.length));
      expect(counted.length, language).toBeGreaterThan(0);
      for (const text of counted) {
        const forms = Object.keys(catalogue)
          .filter((key) => key.startsWith(`${text}.`) && PLURAL_FORM.test(key.slice(text.length)))
          .map((key) => key.slice(text.length + 1))
          .sort();
        expect(forms, `${language} ${text}`).toEqual(categories);
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const text of texts(zhCN)) {
      const chinese = textOf(zhCN, text) ?? '';
      expect(placeholders(textOf(en, text) ?? ''), text).toEqual(placeholders(chinese));
    }
  });

  it('have no empty strings', () => {
    for (const catalogue of [zhCN, en]) {
      for (const [key, text] of Object.entries(catalogue)) expect(text.trim(), key).not.toBe('');
    }
  });
});

describe('counted texts', () => {
  it('say one thing in the singular and others in the plural in English', () => {
    expect(translateCount('en', 'offline.refused', 1)).toBe('1 change refused by the server, please review');
    expect(translateCount('en', 'offline.refused', 2)).toBe('2 changes refused by the server, please review');
    expect(translateCount('en', 'offline.queued', 1)).toBe('1 change waiting to sync');
    expect(translateCount('en', 'offline.queued', 0)).toBe('0 changes waiting to sync');
    expect(translateCount('en', 'session.logoutPending', 1)).toMatch(/^1 change has not synced/);
    expect(translateCount('en', 'cars.cellLabel', 1, { car: '沪A1', day: 'Mon' })).toBe(
      '沪A1, Mon: 1 booking',
    );
  });

  it('have one form in Chinese', () => {
    expect(translateCount('zh-CN', 'offline.refused', 1)).toBe('1 项修改被服务器拒绝，请查看');
    expect(translateCount('zh-CN', 'offline.refused', 3)).toBe('3 项修改被服务器拒绝，请查看');
  });

  it('are said in the chosen language', () => {
    setLanguage('en', false);
    try {
      expect(tCount('offline.queued', 1)).toBe('1 change waiting to sync');
    } finally {
      setLanguage(DEFAULT_LANGUAGE, false);
    }
  });
});

describe('t()', () => {
  beforeEach(() => {
    Object.defineProperty(globalThis, 'localStorage', { value: new MemoryStorage(), configurable: true });
    setLanguage(DEFAULT_LANGUAGE, false);
  });

  it('defaults to zh-CN', () => {
    expect(getLanguage()).toBe('zh-CN');
    expect(t('login.submit')).toBe('登录');
  });

  it('interpolates named parameters', () => {
    expect(t('offline.banner', { time: '14:05' })).toBe('离线 — 数据来自 14:05');
    setLanguage('en');
    expect(t('offline.banner', { time: '14:05' })).toBe('Offline — data from 14:05');
    expect(t('login.rateLimited', { seconds: 30 })).toBe('Too many attempts, try again in 30 s');
  });

  it('leaves unknown placeholders visible rather than inventing text', () => {
    expect(interpolate('a {x} b {y}', { x: 1 })).toBe('a 1 b {y}');
    expect(interpolate('{x}{x}', { x: 'ab' })).toBe('abab');
  });

  it('falls back to zh-CN, then to the key itself', () => {
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
  });

  it('persists the chosen language and restores it on the next start', () => {
    setLanguage('en');
    setLanguage('zh-CN', false);
    expect(initLanguage()).toBe('en');
  });

  it('uses the profile language when nothing was chosen on this device', () => {
    expect(initLanguage('en-GB')).toBe('en');
    expect(initLanguage('fr')).toBe('zh-CN');
  });

  it("uses the browser's first language of ours when neither a choice nor a profile says", () => {
    vi.stubGlobal('navigator', { languages: ['fr-FR', 'en-GB'], language: 'fr-FR' });
    try {
      expect(initLanguage()).toBe('en');
      expect(initLanguage('zh-CN')).toBe('zh-CN');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('tells readers of the language signal of a switch, once', () => {
    const seen: string[] = [];
    const stop = effect(() => {
      seen.push(language.value);
    });
    setLanguage('en');
    setLanguage('en');
    stop();
    setLanguage('zh-CN');
    expect(seen).toEqual(['zh-CN', 'en']);
  });

  it('matches language tags', () => {
    expect(matchLanguage('zh-Hans-CN')).toBe('zh-CN');
    expect(matchLanguage('ZH')).toBe('zh-CN');
    expect(matchLanguage('en-US')).toBe('en');
    expect(matchLanguage('de')).toBeNull();
    expect(matchLanguage(null)).toBeNull();
  });
});
