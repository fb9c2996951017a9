/**
 * Mutations made offline, kept in IndexedDB and replayed in order when back online.
 *
 * Each carries an idempotency key (`clientMutationId`) chosen when it was queued, so a replay
 * after a lost response never applies twice. A refusal on replay (conflict, rule violation,
 * validation...) is kept with the server's reason until the user dismisses it: never dropped.
 * Works in the page and in the service worker (Background Sync); no DOM APIs here.
 */
import { openBatonDB, type QueuedMutation, type QueueFailure, type QueueSubject } from './db';
import {
  type GraphQLClient,
  GraphQLRequestError,
  NetworkError,
  type Operation,
  type VariablesOfOp,
} from './graphql';

export type { QueuedMutation, QueueFailure, QueueSubject } from './db';

type InputOf<Op> = VariablesOfOp<Op> extends { input: infer I } ? I : never;

export interface EnqueueRequest<Op extends Operation<unknown, { input: unknown }>> {
  /** i18n key naming the change for the user, e.g. "queue.kind.checkIn". */
  label: string;
  operation: Op;
  input: Omit<InputOf<Op>, 'clientMutationId'>;
  clientMutationId?: string;
  /**
   * The customer and object it changes, named as the user sees them now: the sync list, the
   * confirmation and any refusal name them, whatever the language the list is read in later.
   */
  subject: QueueSubject;
  /**
   * An input field (e.g. "checkedInAt") that carries when the change was made, sent only when it
   * was not sent at once (queued offline, or a first attempt that did not get through): a change
   * sent straight away keeps the server's time.
   */
  tapTimeField?: string;
}

const CHANNEL = 'baton-queue';
const listeners = new Set<() => void>();
const channel: BroadcastChannel | null =
  typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;
channel?.addEventListener('message', () => emitLocal());
// Node (tests) keeps the process alive for an open channel; browsers have no unref.
(channel as { unref?: () => void } | null)?.unref?.();

function emitLocal(): void {
  for (const listener of listeners) listener();
}

function emit(): void {
  emitLocal();
  channel?.postMessage('changed');
}

/** Called whenever the queue changes here or in another tab / the service worker. */
export function subscribeQueue(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function newClientMutationId(): string {
  return crypto.randomUUID();
}

export async function enqueue<Op extends Operation<unknown, { input: unknown }>>(
  request: EnqueueRequest<Op>,
  now: () => Date = () => new Date(),
): Promise<QueuedMutation> {
  const clientMutationId = request.clientMutationId ?? newClientMutationId();
  const item: QueuedMutation = {
    clientMutationId,
    label: request.label,
    source: request.operation.source,
    variables: { input: { ...(request.input as Record<string, unknown>), clientMutationId } },
    createdAt: now().getTime(),
    attempts: 0,
    status: 'pending',
  };
  if (request.subject) item.subject = request.subject;
  if (request.tapTimeField) {
    item.tapTimeField = request.tapTimeField;
    item.queuedOffline = (globalThis.navigator as Navigator | undefined)?.onLine === false;
  }
  const db = await openBatonDB();
  item.seq = await db.add('queue', item);
  emit();
  return item;
}

/** The variables a queued change is sent with: its input, plus when it was made if it waited. */
export function variablesToSend(item: QueuedMutation): QueuedMutation['variables'] {
  if (!item.tapTimeField || !(item.queuedOffline || item.attempts > 0)) return item.variables;
  const tapped = new Date(item.createdAt).toISOString();
  return { input: { ...item.variables.input, [item.tapTimeField]: tapped } };
}

/**
 * The user read a conflict and wants their change on the object as it is now: the refused
 * change is replaced by the same change on `version`, under a new idempotency key (the old one
 * is the server's record of the refusal). Queued last, like any new change.
 */
export async function reapplyOnVersion(
  seq: number,
  version: number,
  now: () => Date = () => new Date(),
): Promise<QueuedMutation | null> {
  const db = await openBatonDB();
  const tx = db.transaction('queue', 'readwrite');
  const item = await tx.store.get(seq);
  if (item?.status !== 'failed') {
    await tx.done;
    return null;
  }
  const clientMutationId = newClientMutationId();
  const { seq: _old, failure: _failure, ...rest } = item;
  const next: QueuedMutation = {
    ...rest,
    clientMutationId,
    variables: { input: { ...item.variables.input, version, clientMutationId } },
    createdAt: now().getTime(),
    attempts: 0,
    status: 'pending',
  };
  await tx.store.delete(seq);
  next.seq = await tx.store.add(next);
  await tx.done;
  emit();
  return next;
}

/** Everything still queued, oldest first: pending ones and refused ones awaiting the user. */
export async function listQueue(): Promise<QueuedMutation[]> {
  const db = await openBatonDB();
  return db.getAll('queue');
}

export async function countQueue(): Promise<{ pending: number; failed: number }> {
  const items = await listQueue();
  const failed = items.filter((item) => item.status === 'failed').length;
  return { pending: items.length - failed, failed };
}

/** The user has seen a refused change and let it go. */
export async function dismissFailed(seq: number): Promise<void> {
  const db = await openBatonDB();
  const item = await db.get('queue', seq);
  if (item?.status !== 'failed') return;
  await db.delete('queue', seq);
  emit();
}

/** Logout: queued changes belong to this user's session and must not outlive it. */
export async function clearQueue(): Promise<void> {
  const db = await openBatonDB();
  await db.clear('queue');
  emit();
}

export interface ReplayReport {
  applied: QueuedMutation[];
  failed: QueuedMutation[];
  /** Why replay stopped early, leaving later items pending; null when it went through. */
  stoppedBy: 'offline' | 'unauthenticated' | 'server' | null;
}

let running: Promise<ReplayReport> | null = null;

/**
 * Replay pending mutations in queue order. Concurrent calls share one run; across tabs and
 * the service worker a Web Lock keeps it to one replayer at a time.
 */
export function replayQueue(
  client: GraphQLClient,
  now: () => Date = () => new Date(),
): Promise<ReplayReport> {
  running ??= withLock(() => replayPending(client, now)).finally(() => {
    running = null;
  });
  return running;
}

async function withLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return task();
  return locks.request(CHANNEL, task) as Promise<T>;
}

async function replayPending(client: GraphQLClient, now: () => Date): Promise<ReplayReport> {
  const report: ReplayReport = { applied: [], failed: [], stoppedBy: null };
  const db = await openBatonDB();
  const items = await db.getAll('queue');
  for (const item of items) {
    if (item.status !== 'pending' || item.seq === undefined) continue;
    const outcome = await send(client, item, now);
    if (outcome.kind === 'stop') {
      await db.put('queue', { ...item, attempts: item.attempts + 1 });
      report.stoppedBy = outcome.reason;
      break;
    }
    if (outcome.kind === 'applied') {
      await db.delete('queue', item.seq);
      report.applied.push(item);
    } else {
      const failed: QueuedMutation = {
        ...item,
        attempts: item.attempts + 1,
        status: 'failed',
        failure: outcome.failure,
      };
      await db.put('queue', failed);
      report.failed.push(failed);
    }
  }
  if (report.applied.length > 0 || report.failed.length > 0 || report.stoppedBy) emit();
  return report;
}

type Outcome =
  | { kind: 'applied' }
  | { kind: 'refused'; failure: QueueFailure }
  | { kind: 'stop'; reason: NonNullable<ReplayReport['stoppedBy']> };

async function send(client: GraphQLClient, item: QueuedMutation, now: () => Date): Promise<Outcome> {
  let data: unknown;
  try {
    data = await client.request({ source: item.source }, variablesToSend(item) as never);
  } catch (error) {
    if (error instanceof NetworkError) {
      return { kind: 'stop', reason: error.status && error.status >= 500 ? 'server' : 'offline' };
    }
    if (error instanceof GraphQLRequestError) {
      if (error.hasCode('UNAUTHENTICATED')) return { kind: 'stop', reason: 'unauthenticated' };
      if (error.status >= 500) return { kind: 'stop', reason: 'server' };
      return {
        kind: 'refused',
        failure: {
          typename: error.code ?? 'GraphQLError',
          message: error.message,
          detail: error.errors,
          at: now().getTime(),
        },
      };
    }
    throw error;
  }
  const payload = firstField(data);
  const typename = payload?.__typename;
  if (typeof typename === 'string' && typename.endsWith('Error')) {
    return {
      kind: 'refused',
      failure: {
        typename,
        message: typeof payload?.message === 'string' ? payload.message : typename,
        detail: payload,
        at: now().getTime(),
      },
    };
  }
  return { kind: 'applied' };
}

function firstField(data: unknown): Record<string, unknown> | null {
  if (!data || typeof data !== 'object') return null;
  const value = Object.values(data)[0];
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
}
