/** What the page, the service worker and the backend's push sender agree on. */

/** The JSON body of a web push sent by backend/baton/notify. */
export interface PushPayload {
  title: string;
  body: string;
  url: string;
  tag: string | undefined;
  /** The inbox entry's global ID; none for a digest ("5 new alerts", opening /inbox). */
  alertId: string | undefined;
  /** How many alerts this push stands for: 1, or a digest's size. */
  count: number;
}

export const QUEUE_SYNC_TAG = 'baton-queue';

export type SwMessage =
  | { type: 'navigate'; url: string }
  /** A push arrived or a notification was opened: the bell's count may have changed. */
  | { type: 'alerts-changed' };
