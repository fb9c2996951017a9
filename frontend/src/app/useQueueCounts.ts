/**
 * How many changes wait on this device and how many the server refused: one signal for the
 * whole app, recounted from IndexedDB whenever the queue changes (here, in another tab or in
 * the service worker), and only while something on screen reads it.
 */
import { signal } from '@preact/signals';
import { countQueue, subscribeQueue } from '../lib/offline-queue';

let stopListening: (() => void) | null = null;

export const queueCounts = signal(
  { pending: 0, failed: 0 },
  {
    watched() {
      const recount = () => {
        countQueue().then(
          (next) => {
            this.value = next;
          },
          () => undefined,
        );
      };
      stopListening = subscribeQueue(recount);
      recount();
    },
    unwatched() {
      stopListening?.();
      stopListening = null;
    },
  },
);

export function useQueueCounts(): { pending: number; failed: number } {
  return queueCounts.value;
}

/**
 * Whether changes are still waiting on this device. A "saved on this phone, syncs when back
 * online" notice shows only while they are: once the queue has settled (sent, or refused and
 * shown in the banner) it would be stale.
 */
export function useQueueWaiting(): boolean {
  return useQueueCounts().pending > 0;
}
