import { useEffect, useState } from 'preact/hooks';
import { countQueue, subscribeQueue } from '../lib/offline-queue';

export function useQueueCounts(): { pending: number; failed: number } {
  const [counts, setCounts] = useState({ pending: 0, failed: 0 });
  useEffect(() => {
    let alive = true;
    const refresh = () => {
      countQueue().then(
        (next) => alive && setCounts(next),
        () => undefined,
      );
    };
    refresh();
    const unsubscribe = subscribeQueue(refresh);
    return () => {
      alive = false;
      unsubscribe();
    };
  }, []);
  return counts;
}

/**
 * Whether changes are still waiting on this device. A "saved on this phone, syncs when back
 * online" notice shows only while they are: once the queue has settled (sent, or refused and
 * shown in the banner) it would be stale.
 */
export function useQueueWaiting(): boolean {
  return useQueueCounts().pending > 0;
}
