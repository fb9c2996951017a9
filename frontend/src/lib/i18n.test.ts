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
  translate,
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

describe('catalogues', () => {
  it('have the same keys in zh-CN and en', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
  });

  it('use the same placeholders in both languages', () => {
    for (const [key, text] of Object.entries(zhCN)) {
      expect(placeholders(en[key as keyof typeof en]), key).toEqual(placeholders(text));
    }
  });

  it('have no empty strings', () => {
    for (const catalogue of [zhCN, en]) {
      for (const [key, text] of Object.entries(catalogue)) expect(text.trim(), key).not.toBe('');
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
