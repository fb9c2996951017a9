/**
 * Records the user opened, readable offline, each with the time it was fetched.
 *
 * Network first: a fresh answer is stored and returned; when the network fails the last
 * stored copy is returned with `fromCache` so the shell can say "offline — data from HH:MM".
 */
import { openBatonDB } from './db';
import { type GraphQLClient, NetworkError, type Operation, type VariablesOfOp } from './graphql';

/** Enough for a shift's worth of customers without growing without bound on a phone. */
export const MAX_RECORDS = 300;

export interface Stored<T> {
  data: T;
  fetchedAt: Date;
}

export async function putRecord(key: string, data: unknown, fetchedAt = new Date()): Promise<void> {
  const db = await openBatonDB();
  await db.put('records', { key, data, fetchedAt: fetchedAt.getTime() });
  await pruneRecords();
}

export async function getRecord<T>(key: string): Promise<Stored<T> | undefined> {
  const db = await openBatonDB();
  const row = await db.get('records', key);
  if (!row) return undefined;
  return { data: row.data as T, fetchedAt: new Date(row.fetchedAt) };
}

/** Every stored copy whose key starts with `prefix` ("customer:"), most recently fetched first. */
export async function listRecords<T>(prefix: string): Promise<Array<Stored<T> & { key: string }>> {
  const db = await openBatonDB();
  const rows = await db.getAll('records', IDBKeyRange.bound(prefix, `${prefix}\uffff`));
  return rows
    .sort((a, b) => b.fetchedAt - a.fetchedAt)
    .map((row) => ({ key: row.key, data: row.data as T, fetchedAt: new Date(row.fetchedAt) }));
}

export async function deleteRecord(key: string): Promise<void> {
  const db = await openBatonDB();
  await db.delete('records', key);
}

/** Logout: nothing about customers may stay on the device. */
export async function clearRecords(): Promise<void> {
  const db = await openBatonDB();
  await db.clear('records');
}

async function pruneRecords(): Promise<void> {
  const db = await openBatonDB();
  const count = await db.count('records');
  if (count <= MAX_RECORDS) return;
  const tx = db.transaction('records', 'readwrite');
  let excess = count - MAX_RECORDS;
  let cursor = await tx.store.index('fetchedAt').openCursor();
  while (cursor && excess > 0) {
    await cursor.delete();
    excess -= 1;
    cursor = await cursor.continue();
  }
  await tx.done;
}

export interface CachedResult<T> {
  data: T;
  fetchedAt: Date;
  fromCache: boolean;
}

/** How long an answer sent for ahead of its screen waits to be taken before it counts as stale. */
export const EARLY_ANSWER_MS = 10_000;

const earlyAnswers = new Map<string, { answer: Promise<unknown>; sentAt: number }>();

function earlyKey(key: string, variables: unknown): string {
  return `${key}|${JSON.stringify(variables ?? null)}`;
}

/**
 * Send the first screen's query now, beside the session check, instead of after it: the
 * screen's first `cachedQuery` with the same key and variables takes this answer. Only an
 * answer that arrived is used; a failure is forgotten and the screen asks again, so this can
 * save a round trip but never change what the screen shows.
 */
export function sendEarly<Op extends Operation<unknown, unknown>>(
  client: GraphQLClient,
  key: string,
  operation: Op,
  variables?: VariablesOfOp<Op>,
  now: () => number = Date.now,
): void {
  const answer = client.request(operation, variables);
  answer.catch(() => undefined); // the screen's own request will report it
  earlyAnswers.set(earlyKey(key, variables), { answer, sentAt: now() });
}

async function request<Op extends Operation<unknown, unknown>>(
  client: GraphQLClient,
  key: string,
  operation: Op,
  variables: VariablesOfOp<Op> | undefined,
  now: () => number,
): Promise<unknown> {
  const id = earlyKey(key, variables);
  const early = earlyAnswers.get(id);
  earlyAnswers.delete(id);
  if (early && now() - early.sentAt <= EARLY_ANSWER_MS) {
    try {
      return await early.answer;
    } catch {
      // Sent before the session was known, or the network dropped: ask as if never sent.
    }
  }
  return client.request(operation, variables);
}

/** Run a query; keep its answer under `key`; fall back to the stored copy when offline. */
export async function cachedQuery<Op extends Operation<unknown, unknown>>(
  client: GraphQLClient,
  key: string,
  operation: Op,
  variables?: VariablesOfOp<Op>,
  now: () => Date = () => new Date(),
): Promise<CachedResult<Op extends Operation<infer R, unknown> ? R : never>> {
  try {
    const data = await request(client, key, operation, variables, () => now().getTime());
    const fetchedAt = now();
    await putRecord(key, data, fetchedAt);
    return { data: data as never, fetchedAt, fromCache: false };
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    const stored = await getRecord<never>(key);
    if (!stored) throw error;
    return { data: stored.data, fetchedAt: stored.fetchedAt, fromCache: true };
  }
}
