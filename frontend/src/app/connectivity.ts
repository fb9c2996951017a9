/**
 * Whether we are online, and how old the data on screen is when it came from the device.
 * Screens report cached data with `useDataAge`; the banner shows the oldest. Both are signals:
 * a component that reads them re-renders when they change, with no subscription code of its own.
 */
import { computed, signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';

export const online = signal(typeof navigator === 'undefined' ? true : navigator.onLine);
const shownAges = signal<ReadonlyMap<symbol, Date>>(new Map());

if (typeof window !== 'undefined') {
  const update = () => {
    online.value = navigator.onLine;
  };
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
}

export function isOnline(): boolean {
  return online.value;
}

/** The oldest "fetched at" among cached data currently on screen, or null. */
export const oldestShownData = computed<Date | null>(() => {
  let oldest: Date | null = null;
  for (const date of shownAges.value.values()) {
    if (!oldest || date < oldest) oldest = date;
  }
  return oldest;
});

export function useConnectivity(): { online: boolean; dataFrom: Date | null } {
  return { online: online.value, dataFrom: oldestShownData.value };
}

/** Call with a result's fetchedAt while it is on screen and came from the device. */
export function useDataAge(fetchedAt: Date | null | undefined, fromCache: boolean): void {
  const time = fromCache && fetchedAt ? fetchedAt.getTime() : null;
  useEffect(() => {
    if (time === null) return;
    const id = Symbol('data-age');
    shownAges.value = new Map(shownAges.value).set(id, new Date(time));
    return () => {
      const next = new Map(shownAges.value);
      next.delete(id);
      shownAges.value = next;
    };
  }, [time]);
}
