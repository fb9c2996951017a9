/** When to replay the offline queue from the page: at start, on `online`, and via Background Sync. */
import type { GraphQLClient, Operation } from '../lib/graphql';
import {
  dismissFailed,
  type EnqueueRequest,
  enqueue,
  listQueue,
  newClientMutationId,
  type QueueFailure,
  type ReplayReport,
  replayQueue,
} from '../lib/offline-queue';
import { QUEUE_SYNC_TAG } from '../lib/sw-protocol';

export function startQueueSync(client: GraphQLClient, onReport?: (report: ReplayReport) => void): () => void {
  const replay = () => {
    if (!navigator.onLine) return;
    replayQueue(client).then(onReport, (error: unknown) => console.error('queue replay failed', error));
  };
  window.addEventListener('online', replay);
  replay();
  return () => window.removeEventListener('online', replay);
}

/** Queue a change and try to send it now; Background Sync retries it if the page closes. */
export async function queueMutation<Op extends Operation<unknown, { input: unknown }>>(
  client: GraphQLClient,
  request: EnqueueRequest<Op>,
): Promise<ReplayReport | null> {
  await enqueue(request);
  await requestBackgroundSync();
  if (!navigator.onLine) return null;
  return replayQueue(client);
}

async function requestBackgroundSync(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  try {
    const registration = (await navigator.serviceWorker.getRegistration()) as
      | (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } })
      | undefined;
    await registration?.sync?.register(QUEUE_SYNC_TAG);
  } catch {
    // Background Sync is optional; `online` and app start still replay.
  }
}

export type QueuedOutcome =
  | { kind: 'applied' }
  /** Saved on the device; replayed when the connection (or the session) comes back. */
  | { kind: 'queued' }
  /** The server said no; the screen shows why, so the queue entry is let go. */
  | { kind: 'refused'; failure: QueueFailure };

/**
 * Queue a change and tell the screen that made it what became of it now. The queue itself is
 * the answer: the service worker (Background Sync) may have replayed it before this page did.
 * A refusal seen on the screen is dismissed from the queue: the user has it in front of them.
 */
export async function submitQueued<Op extends Operation<unknown, { input: unknown }>>(
  client: GraphQLClient,
  request: EnqueueRequest<Op>,
): Promise<QueuedOutcome> {
  const clientMutationId = request.clientMutationId ?? newClientMutationId();
  const report = await queueMutation(client, { ...request, clientMutationId });
  if (!report) return { kind: 'queued' };
  let item = (await listQueue()).find((queued) => queued.clientMutationId === clientMutationId);
  // A replay already running when ours was queued has not seen it: one more pass picks it up.
  if (item?.status === 'pending' && !report.stoppedBy) {
    await replayQueue(client);
    item = (await listQueue()).find((queued) => queued.clientMutationId === clientMutationId);
  }
  if (!item) return { kind: 'applied' };
  if (item.status === 'failed' && item.failure) {
    if (item.seq !== undefined) await dismissFailed(item.seq);
    return { kind: 'refused', failure: item.failure };
  }
  return { kind: 'queued' };
}
