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
