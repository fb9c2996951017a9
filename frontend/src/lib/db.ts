/** The one IndexedDB database of the app: cached records and the offline mutation queue. */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';

export interface CachedRecord {
  key: string;
  data: unknown;
  /** Epoch milliseconds when the server produced this copy. */
  fetchedAt: number;
}

export type QueueStatus = 'pending' | 'failed';

export interface QueuedMutation {
  /** Auto-increment: replay order is insertion order. */
  seq?: number;
  clientMutationId: string;
  /** A catalogue key describing the change for the user, e.g. "queue.kind.checkIn". */
  label: string;
  source: string;
  variables: { input: Record<string, unknown> & { clientMutationId: string } };
  createdAt: number;
  attempts: number;
  status: QueueStatus;
  /** Why the server refused it on replay: the error payload or GraphQL error, kept for the user. */
  failure?: QueueFailure;
  /** What it changes, named as the user saw it when queueing: shown when it is refused. */
  subject?: QueueSubject;
  /** An input field that gets the time it was queued when it was not sent at once. */
  tapTimeField?: string;
  /** The device said it was offline when this was queued. */
  queuedOffline?: boolean;
}

export interface QueueSubject {
  /** The GraphQL type of `id`, e.g. "Promise" or "Task": what "theirs" is fetched as. */
  type: string;
  id: string;
  /** The object as the user knows it: a promise's description, a task's title. */
  name: string;
  customerName: string | null;
}

export interface QueueFailure {
  typename: string;
  message: string;
  detail?: unknown;
  at: number;
}

interface BatonDB extends DBSchema {
  records: { key: string; value: CachedRecord; indexes: { fetchedAt: number } };
  queue: { key: number; value: QueuedMutation; indexes: { clientMutationId: string } };
}

export const DB_NAME = 'baton';
const DB_VERSION = 1;

let opening: Promise<IDBPDatabase<BatonDB>> | null = null;

export function openBatonDB(): Promise<IDBPDatabase<BatonDB>> {
  opening ??= openDB<BatonDB>(DB_NAME, DB_VERSION, {
    upgrade(db) {
      const records = db.createObjectStore('records', { keyPath: 'key' });
      records.createIndex('fetchedAt', 'fetchedAt');
      const queue = db.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
      queue.createIndex('clientMutationId', 'clientMutationId', { unique: true });
    },
    blocking() {
      // A newer version of the app wants to upgrade: let it.
      void opening?.then((db) => db.close());
      opening = null;
    },
  });
  return opening;
}

/** Tests only: forget the open connection so a fresh fake IndexedDB can be used. */
export async function resetDBConnectionForTests(): Promise<void> {
  const current = opening;
  opening = null;
  if (current) (await current).close();
}
