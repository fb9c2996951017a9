/**
 * The unread count the header bell shows: one number for the whole app, refreshed modestly
 * (on focus, on coming back online, when a push arrives, and once a minute while visible).
 */
import { signal } from '@preact/signals';
import { client } from '../../lib/graphql';
import { UnreadAlertCountQuery } from './operations';

/** null until the server has answered once. */
export const unread = signal<number | null>(null);
let inFlight: Promise<void> | null = null;
// Bumped by every local change, so an answer asked for before it cannot undo it.
let version = 0;

export function unreadCount(): number | null {
  return unread.value;
}

export function setUnreadCount(next: number): void {
  version += 1;
  apply(next);
}

function apply(next: number): void {
  unread.value = next;
}

/** For code outside components; a component just reads `unread.value`. */
export function subscribeUnread(listener: (count: number | null) => void): () => void {
  return unread.subscribe(listener);
}

/** Ask the server; offline or failing, the last known number stays. */
export function refreshUnread(): Promise<void> {
  const asked = version;
  inFlight ??= client
    .request(UnreadAlertCountQuery)
    .then((data) => {
      if (asked === version) apply(data.unreadAlertCount);
    })
    .catch(() => undefined)
    .finally(() => {
      inFlight = null;
    });
  return inFlight;
}
