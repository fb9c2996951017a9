import { afterEach, describe, expect, it, vi } from 'vitest';
import { base64UrlToBytes, bytesToBase64Url, deviceLabel, sameKey, saveDevice, savedDevice } from './push';

// A VAPID public key as `baton vapid` serves it: an uncompressed P-256 point, base64url.
const KEY = 'BO8HIrnO25PZIn-21ZwvqC-gw2e3ndel_gURmDXv6nC17YyM4P34AfIHXvMktULudGBGTh98MjdVNnNe548huZk';

describe('base64url keys', () => {
  it('decodes a VAPID public key to the 65 bytes of a P-256 point', () => {
    const bytes = base64UrlToBytes(KEY);
    expect(bytes.length).toBe(65);
    expect(bytes[0]).toBe(0x04);
  });

  it('round-trips bytes that need - and _ and padding', () => {
    const bytes = new Uint8Array([0xfb, 0xff, 0xbf, 0x00, 0x3e]);
    const text = bytesToBase64Url(bytes);
    expect(text).toBe('-_-_AD4');
    expect([...base64UrlToBytes(text)]).toEqual([...bytes]);
    expect([...base64UrlToBytes(`${text}=`)]).toEqual([...bytes]);
  });

  it('refuses text that is not base64url', () => {
    expect(() => base64UrlToBytes('not a key!')).toThrow();
    expect(() => base64UrlToBytes('abcde')).toThrow();
  });

  it('tells whether a subscription was made for the server key', () => {
    expect(sameKey(base64UrlToBytes(KEY).buffer, KEY)).toBe(true);
    expect(sameKey(base64UrlToBytes(KEY).buffer, `${KEY.slice(0, -2)}AA`)).toBe(false);
    expect(sameKey(null, KEY)).toBe(false);
    expect(sameKey(new ArrayBuffer(65), 'bad key!')).toBe(false);
  });
});

describe('deviceLabel', () => {
  it.each([
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
      'Android · Chrome',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      'iPhone · Safari',
    ],
    [
      'Mozilla/5.0 (Linux; Android 12; NOH-AN00; HMSCore 6.13) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0 HuaweiBrowser/14.0 Mobile Safari/537.36',
      'Android · Huawei',
    ],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Windows · Firefox'],
    ['curl/8', 'Browser'],
  ])('%s → %s', (agent, label) => {
    expect(deviceLabel(agent)).toBe(label);
  });
});

describe('saved device', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("remembers this browser's device id and forgets it", () => {
    const store = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (key: string) => store.get(key) ?? null,
      setItem: (key: string, value: string) => store.set(key, value),
      removeItem: (key: string) => store.delete(key),
    });
    expect(savedDevice()).toBeNull();
    saveDevice({ id: 'UHVzaFN1YnNjcmlwdGlvbjox', endpoint: 'https://fcm.googleapis.com/fcm/send/x' });
    expect(savedDevice()?.id).toBe('UHVzaFN1YnNjcmlwdGlvbjox');
    store.set('baton.pushDevice', '{broken');
    expect(savedDevice()).toBeNull();
    saveDevice(null);
    expect(store.has('baton.pushDevice')).toBe(false);
  });
});
