/**
 * Web push on this device: whether the browser can, the subscription steps (permission only
 * after the user's tap), the VAPID key conversion, and which of "my devices" is this one.
 * The service worker imports the mark-read operation from here for notification clicks.
 */
import { graphql } from './graphql';

export const MarkAlertReadMutation = graphql(`
  mutation MarkAlertRead($input: MarkAlertReadInput!) {
    markAlertRead(input: $input) {
      __typename
      ... on MarkAlertReadSuccess { alert { id readAt } }
    }
  }
`);

/** "BPx…" (base64url, padding optional) → the bytes PushManager.subscribe() wants. */
export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.trim().replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(base64) || base64.length % 4 === 1) {
    throw new Error('not base64url text');
  }
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Bytes → base64url without padding, as PushSubscription.toJSON() writes keys. */
export function bytesToBase64Url(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (const byte of view) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Was this subscription made for the server's current VAPID key? (A new key needs a new one.) */
export function sameKey(subscriptionKey: ArrayBuffer | null | undefined, publicKey: string): boolean {
  if (!subscriptionKey) return false;
  try {
    return bytesToBase64Url(subscriptionKey) === bytesToBase64Url(base64UrlToBytes(publicKey));
  } catch {
    return false;
  }
}

/** A label a person recognises in "my devices": "Android · Chrome", "iPhone · Safari". */
export function deviceLabel(userAgent: string): string {
  const device = /iPhone/.test(userAgent)
    ? 'iPhone'
    : /iPad/.test(userAgent)
      ? 'iPad'
      : /Android/.test(userAgent)
        ? 'Android'
        : /Windows/.test(userAgent)
          ? 'Windows'
          : /Mac OS X|Macintosh/.test(userAgent)
            ? 'Mac'
            : /Linux/.test(userAgent)
              ? 'Linux'
              : '';
  const browser = /MicroMessenger/.test(userAgent)
    ? 'WeChat'
    : /EdgA?\//.test(userAgent)
      ? 'Edge'
      : /HuaweiBrowser/.test(userAgent)
        ? 'Huawei'
        : /SamsungBrowser/.test(userAgent)
          ? 'Samsung'
          : /Firefox|FxiOS/.test(userAgent)
            ? 'Firefox'
            : /Chrom(e|ium)|CriOS/.test(userAgent)
              ? 'Chrome'
              : /Safari/.test(userAgent)
                ? 'Safari'
                : '';
  return [device, browser].filter(Boolean).join(' · ') || 'Browser';
}

export type PushSupport = 'supported' | 'unsupported' | 'installFirst';

/** iPhone Safari offers push only to an app added to the home screen. */
export function pushSupport(): PushSupport {
  if (typeof window === 'undefined') return 'unsupported';
  const capable = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
  const standalone =
    window.matchMedia?.('(display-mode: standalone)').matches ||
    (navigator as Navigator & { standalone?: boolean }).standalone === true;
  if (/iPhone|iPad/.test(navigator.userAgent) && !standalone) return 'installFirst';
  return capable ? 'supported' : 'unsupported';
}

export function permission(): NotificationPermission {
  return typeof Notification === 'undefined' ? 'denied' : Notification.permission;
}

export interface SubscriptionJson {
  endpoint: string;
  expirationTime?: number | null;
  keys: { p256dh: string; auth: string };
}

export type SubscribeOutcome =
  | { status: 'subscribed'; subscription: SubscriptionJson }
  | { status: 'denied' }
  | { status: 'dismissed' }
  | { status: 'failed'; message: string };

/**
 * Ask for permission (call only from the user's tap), then subscribe with the server's VAPID
 * key, reusing this browser's subscription when it was made for the same key.
 */
export async function subscribeThisBrowser(publicKey: string): Promise<SubscribeOutcome> {
  const answer = await Notification.requestPermission();
  if (answer === 'denied') return { status: 'denied' };
  if (answer !== 'granted') return { status: 'dismissed' };
  try {
    const registration = await navigator.serviceWorker.ready;
    let subscription = await registration.pushManager.getSubscription();
    if (subscription && !sameKey(subscription.options.applicationServerKey, publicKey)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    subscription ??= await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: base64UrlToBytes(publicKey),
    });
    return { status: 'subscribed', subscription: subscription.toJSON() as SubscriptionJson };
  } catch (error) {
    return { status: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

export async function currentSubscription(): Promise<PushSubscription | null> {
  if (pushSupport() !== 'supported') return null;
  const registration = await navigator.serviceWorker.getRegistration('/');
  return (await registration?.pushManager.getSubscription()) ?? null;
}

/** The device id the server gave this browser's subscription, to mark it in "my devices". */
const DEVICE_KEY = 'baton.pushDevice';

export interface SavedDevice {
  id: string;
  endpoint: string;
}

export function savedDevice(): SavedDevice | null {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(DEVICE_KEY) ?? 'null');
    if (parsed && typeof parsed === 'object' && 'id' in parsed && 'endpoint' in parsed) {
      const { id, endpoint } = parsed as Record<string, unknown>;
      if (typeof id === 'string' && typeof endpoint === 'string') return { id, endpoint };
    }
  } catch {
    // Private mode or a corrupt entry: this device is simply not marked.
  }
  return null;
}

export function saveDevice(device: SavedDevice | null): void {
  try {
    if (device) localStorage.setItem(DEVICE_KEY, JSON.stringify(device));
    else localStorage.removeItem(DEVICE_KEY);
  } catch {
    // Not remembered; harmless.
  }
}
