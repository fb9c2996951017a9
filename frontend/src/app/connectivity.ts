/**
 * Whether we are online, and how old the data on screen is when it came from the device.
 * Screens report cached data with `useDataAge`; the banner shows the oldest.
 */
import { useEffect, useState } from 'preact/hooks';

type Listener = () => void;
const listeners = new Set<Listener>();
const shownAges = new Map<symbol, Date>();

function emit(): void {
  for (const listener of listeners) listener();
}

export function isOnline(): boolean {
  return typeof navigator === 'undefined' ? true : navigator.onLine;
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', emit);
  window.addEventListener('offline', emit);
}

/** The oldest "fetched at" among cached data currently on screen, or null. */
export function oldestShownData(): Date | null {
  let oldest: Date | null = null;
  for (const date of shownAges.values()) {
    if (!oldest || date < oldest) oldest = date;
  }
  return oldest;
}

export function useConnectivity(): { online: boolean; dataFrom: Date | null } {
  const read = () => ({ online: isOnline(), dataFrom: oldestShownData() });
  const [state, setState] = useState(read);
  useEffect(() => {
    const update = () => setState(read());
    listeners.add(update);
    update();
    return () => {
      listeners.delete(update);
    };
  }, []);
  return state;
}

/** Call with a result's fetchedAt while it is on screen and came from the device. */
export function useDataAge(fetchedAt: Date | null | undefined, fromCache: boolean): void {
  const time = fromCache && fetchedAt ? fetchedAt.getTime() : null;
  useEffect(() => {
    if (time === null) return;
    const id = Symbol('data-age');
    shownAges.set(id, new Date(time));
    emit();
    return () => {
      shownAges.delete(id);
      emit();
    };
  }, [time]);
}
