import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient, graphql } from './graphql';
import {
  clearQueue,
  countQueue,
  dismissFailed,
  enqueue,
  listQueue,
  reapplyOnVersion,
  replayQueue,
  subscribeQueue,
  variablesToSend,
} from './offline-queue';
import { freshIndexedDB } from './test-db';

const CheckIn = graphql(`
  mutation CheckIn($input: CheckInForServiceInput!) {
    checkInForService(input: $input) {
      __typename
      ... on CheckInSuccess { visit { id } }
      ... on ConflictError { message currentVersion }
    }
  }
`);

type Reply = (input: { customerId: string; clientMutationId: string }) => Response | Promise<Response>;

function success() {
  return gql({ checkInForService: { __typename: 'CheckInSuccess', visit: { id: 'V1' } } });
}

function gql(data: unknown, errors?: unknown[], status = 200) {
  return new Response(JSON.stringify(errors ? { data, errors } : { data }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/** A fake server recording every input it received, answering with `reply`. */
function server(reply: Reply) {
  const received: Array<{ customerId: string; clientMutationId: string }> = [];
  const fetch = vi.fn(async (_url: unknown, init?: RequestInit) => {
    const input = JSON.parse(String(init?.body)).variables.input;
    received.push(input);
    return reply(input);
  });
  return { client: createClient({ fetch }), received };
}

const customer = (customerId: string) => ({
  type: 'Customer',
  id: customerId,
  name: '王芳',
  customerName: null,
});

const checkIn = (customerId: string) =>
  enqueue({
    label: 'queue.kind.checkIn',
    operation: CheckIn,
    subject: customer(customerId),
    input: { customerId },
  });

beforeEach(freshIndexedDB);

describe('enqueue', () => {
  it('keeps the customer it was queued for, named as the user saw them', async () => {
    await checkIn('C1');
    const [stored] = await listQueue();
    expect(stored?.subject).toEqual({ type: 'Customer', id: 'C1', name: '王芳', customerName: null });
  });

  it('gives each mutation an idempotency key inside its input', async () => {
    const a = await checkIn('C1');
    const b = await checkIn('C2');
    expect(a.clientMutationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.clientMutationId).not.toBe(b.clientMutationId);
    expect(a.variables.input).toEqual({ customerId: 'C1', clientMutationId: a.clientMutationId });
    expect(await countQueue()).toEqual({ pending: 2, failed: 0 });
  });

  it('tells subscribers', async () => {
    const seen = vi.fn();
    const unsubscribe = subscribeQueue(seen);
    await checkIn('C1');
    unsubscribe();
    expect(seen).toHaveBeenCalled();
  });
});

describe('replayQueue', () => {
  it('sends in the order queued, with the same keys, and empties the queue', async () => {
    const queued = [await checkIn('C1'), await checkIn('C2'), await checkIn('C3')];
    const { client, received } = server(success);
    const report = await replayQueue(client);
    expect(received.map((r) => r.customerId)).toEqual(['C1', 'C2', 'C3']);
    expect(received.map((r) => r.clientMutationId)).toEqual(queued.map((q) => q.clientMutationId));
    expect(report.applied).toHaveLength(3);
    expect(report.stoppedBy).toBeNull();
    expect(await listQueue()).toEqual([]);
  });

  it('stops at a network failure and keeps the rest, in order, for the next try', async () => {
    await checkIn('C1');
    await checkIn('C2');
    await checkIn('C3');
    let calls = 0;
    const flaky = server(() => {
      calls += 1;
      if (calls === 2) throw new TypeError('Failed to fetch');
      return success();
    });
    const first = await replayQueue(flaky.client);
    expect(first.stoppedBy).toBe('offline');
    expect((await listQueue()).map((q) => q.variables.input.customerId)).toEqual(['C2', 'C3']);

    const retry = server(success);
    await replayQueue(retry.client);
    expect(retry.received.map((r) => r.customerId)).toEqual(['C2', 'C3']);
    // The retried mutation keeps its key, so a server that did apply it will not apply it twice.
    expect(retry.received[0]?.clientMutationId).toBe(flaky.received[1]?.clientMutationId);
    expect(await listQueue()).toEqual([]);
  });

  it('keeps a conflict with the server reason and goes on with the rest', async () => {
    await checkIn('C1');
    await checkIn('C2');
    const { client } = server((input) =>
      input.customerId === 'C1'
        ? gql({
            checkInForService: {
              __typename: 'ConflictError',
              message: 'Changed meanwhile',
              currentVersion: 4,
            },
          })
        : success(),
    );
    const report = await replayQueue(client);
    expect(report.failed).toHaveLength(1);
    expect(report.applied).toHaveLength(1);
    const left = await listQueue();
    expect(left).toHaveLength(1);
    expect(left[0]?.status).toBe('failed');
    expect(left[0]?.failure).toMatchObject({
      typename: 'ConflictError',
      message: 'Changed meanwhile',
      detail: { currentVersion: 4 },
    });
    expect(await countQueue()).toEqual({ pending: 0, failed: 1 });
  });

  it('never resends or drops a refused mutation until the user dismisses it', async () => {
    await checkIn('C1');
    const refuse = server(() =>
      gql({ checkInForService: { __typename: 'RuleViolationError', message: 'Store closed', reasons: [] } }),
    );
    await replayQueue(refuse.client);
    const again = server(success);
    await replayQueue(again.client);
    expect(again.received).toEqual([]);
    const [failed] = await listQueue();
    expect(failed?.failure?.message).toBe('Store closed');
    await dismissFailed(failed?.seq ?? -1);
    expect(await listQueue()).toEqual([]);
  });

  it('keeps GraphQL request errors as refusals, but stops and waits on UNAUTHENTICATED', async () => {
    await checkIn('C1');
    await checkIn('C2');
    const expired = server(() =>
      gql(null, [{ message: 'Sign in', extensions: { code: 'UNAUTHENTICATED' } }]),
    );
    expect((await replayQueue(expired.client)).stoppedBy).toBe('unauthenticated');
    expect(expired.received).toHaveLength(1);
    expect(await countQueue()).toEqual({ pending: 2, failed: 0 });

    const forbidden = server(() => gql(null, [{ message: 'Not yours', extensions: { code: 'FORBIDDEN' } }]));
    const report = await replayQueue(forbidden.client);
    expect(report.failed.map((f) => f.failure?.typename)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });

  it('waits on a server error (5xx) instead of calling it a refusal', async () => {
    await checkIn('C1');
    const down = server(() => gql(null, [{ message: 'Internal' }], 500));
    expect((await replayQueue(down.client)).stoppedBy).toBe('server');
    const [item] = await listQueue();
    expect(item?.status).toBe('pending');
    expect(item?.attempts).toBe(1);
  });

  it('sends each mutation once when replay is triggered twice at the same time', async () => {
    await checkIn('C1');
    const { client, received } = server(success);
    await Promise.all([replayQueue(client), replayQueue(client)]);
    expect(received).toHaveLength(1);
  });

  it('is cleared at logout', async () => {
    await checkIn('C1');
    await clearQueue();
    expect(await countQueue()).toEqual({ pending: 0, failed: 0 });
  });
});

const ChangeStatus = graphql(`
  mutation ChangeStatus($input: ChangePromiseStatusInput!) {
    changePromiseStatus(input: $input) {
      __typename
      ... on ConflictError { message currentVersion }
    }
  }
`);

const SUBJECT = { type: 'Promise', id: 'P1', name: '原厂脚垫', customerName: '王芳' };

async function refusedStatusChange() {
  await enqueue({
    label: 'queue.kind.promiseStatus',
    operation: ChangeStatus,
    input: { id: 'P1', version: 1, status: 'FULFILLED', note: '已交付', photoIds: [] },
    subject: SUBJECT,
  });
  const conflict = server(() =>
    gql({ changePromiseStatus: { __typename: 'ConflictError', message: 'changed', currentVersion: 2 } }),
  );
  await replayQueue(conflict.client);
  const [failed] = await listQueue();
  if (!failed) throw new Error('expected a refused change');
  return failed;
}

describe('reapplyOnVersion', () => {
  it('keeps the refused change, subject and note included, until the user decides', async () => {
    const failed = await refusedStatusChange();
    expect(failed.status).toBe('failed');
    expect(failed.subject).toEqual(SUBJECT);
    expect(failed.variables.input).toMatchObject({ note: '已交付', version: 1 });
  });

  it('queues the same change on the new version under a new idempotency key', async () => {
    const failed = await refusedStatusChange();
    const next = await reapplyOnVersion(failed.seq ?? -1, 3);
    expect(next?.clientMutationId).not.toBe(failed.clientMutationId);
    const { client, received } = server(() => gql({ changePromiseStatus: { __typename: 'PromiseSuccess' } }));
    await replayQueue(client);
    expect(received).toEqual([
      {
        id: 'P1',
        version: 3,
        status: 'FULFILLED',
        note: '已交付',
        photoIds: [],
        clientMutationId: next?.clientMutationId,
      },
    ]);
    expect(await listQueue()).toEqual([]);
  });

  it('leaves a pending change alone', async () => {
    const item = await checkIn('C1');
    expect(await reapplyOnVersion(item.seq ?? -1, 3)).toBeNull();
    expect(await listQueue()).toEqual([item]);
  });
});

describe('variablesToSend', () => {
  const tapped = new Date('2026-11-23T02:00:00Z');
  const checkInAt = (online: boolean) => {
    vi.stubGlobal('navigator', { onLine: online });
    return enqueue(
      {
        label: 'queue.kind.checkIn',
        operation: CheckIn,
        subject: customer('C1'),
        input: { customerId: 'C1' },
        tapTimeField: 'checkedInAt',
      },
      () => tapped,
    );
  };
  afterEach(() => vi.unstubAllGlobals());

  it('sends when it was tapped with a change queued offline', async () => {
    const item = await checkInAt(false);
    expect(variablesToSend(item).input.checkedInAt).toBe('2026-11-23T02:00:00.000Z');
  });

  it('leaves the time to the server for a change sent at once', async () => {
    const item = await checkInAt(true);
    expect(variablesToSend(item).input).not.toHaveProperty('checkedInAt');
  });

  it('sends the tap time once a first attempt did not get through', async () => {
    await checkInAt(true);
    const offline = server(() => Promise.reject(new TypeError('Failed to fetch')));
    await replayQueue(offline.client);
    const online = server(success);
    await replayQueue(online.client);
    expect(online.received[0]).toMatchObject({ checkedInAt: '2026-11-23T02:00:00.000Z' });
  });
});
