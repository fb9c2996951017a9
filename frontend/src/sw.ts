/// <reference lib="webworker" />
/**
 * Service worker: precached shell, client-route fallback, web push, notification clicks,
 * and Background Sync replay of the offline mutation queue.
 */
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { client } from './lib/graphql';
import { replayQueue } from './lib/offline-queue';
import { MarkAlertReadMutation } from './lib/push';
import { type PushPayload, QUEUE_SYNC_TAG, type SwMessage } from './lib/sw-protocol';

declare const self: ServiceWorkerGlobalScope;

self.addEventListener('install', () => {
  void self.skipWaiting();
});
clientsClaim();

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Any client route (/customers/123, /today...) opens the precached shell, online or not.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: [/^\/graphql/, /^\/healthz/, /^\/calendar\//, /^\/api\//, /^\/uploads\//],
  }),
);

self.addEventListener('push', (event) => {
  const payload = readPush(event.data);
  event.waitUntil(
    self.registration
      .showNotification(payload.title, {
        body: payload.body,
        tag: payload.tag,
        // A newer alert about the same thing replaces the older one, and still buzzes.
        ...(payload.tag ? { renotify: true } : {}),
        icon: '/icons/icon-192.png',
        badge: '/icons/maskable-192.png',
        data: { url: payload.url, alertId: payload.alertId },
      } as NotificationOptions)
      .then(() => tellClients({ type: 'alerts-changed' })),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = (event.notification.data ?? {}) as Partial<PushPayload>;
  const opened = openApp(sameOriginUrl(data.url));
  const read = data.alertId ? markRead(data.alertId) : Promise.resolve();
  event.waitUntil(Promise.all([opened, read]).then(() => tellClients({ type: 'alerts-changed' })));
});

/** Opening the alert from the notification reads it: the inbox and the bell agree. */
async function markRead(alertId: string): Promise<void> {
  try {
    await client.request(MarkAlertReadMutation, { input: { id: alertId } });
  } catch {
    // Offline or signed out: the alert stays unread in the inbox, which is the truth.
  }
}

async function tellClients(message: SwMessage): Promise<void> {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const win of windows) win.postMessage(message);
}

self.addEventListener('sync', (event) => {
  const syncEvent = event as ExtendableEvent & { tag?: string };
  if (syncEvent.tag === QUEUE_SYNC_TAG) {
    syncEvent.waitUntil(replayQueue(client).then(() => undefined));
  }
});

function readPush(data: PushMessageData | null): PushPayload {
  const fallback: PushPayload = {
    title: '接力 Baton',
    body: '',
    url: '/',
    tag: undefined,
    alertId: undefined,
    count: 1,
  };
  if (!data) return fallback;
  try {
    const parsed = data.json() as Partial<PushPayload>;
    return {
      title: typeof parsed.title === 'string' && parsed.title ? parsed.title : fallback.title,
      body: typeof parsed.body === 'string' ? parsed.body : '',
      url: typeof parsed.url === 'string' ? parsed.url : '/',
      tag: typeof parsed.tag === 'string' ? parsed.tag : undefined,
      alertId: typeof parsed.alertId === 'string' ? parsed.alertId : undefined,
      count: typeof parsed.count === 'number' ? parsed.count : 1,
    };
  } catch {
    return { ...fallback, body: data.text() };
  }
}

/** Only ever open our own pages from a notification. */
function sameOriginUrl(url: string | undefined): string {
  try {
    const resolved = new URL(url ?? '/', self.location.origin);
    return resolved.origin === self.location.origin ? resolved.href : self.location.origin;
  } catch {
    return self.location.origin;
  }
}

async function openApp(url: string): Promise<void> {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const existing = windows.find((w) => new URL(w.url).origin === self.location.origin);
  if (existing) {
    const focused = await existing.focus().catch(() => existing);
    const message: SwMessage = { type: 'navigate', url };
    focused.postMessage(message);
    return;
  }
  await self.clients.openWindow(url);
}
