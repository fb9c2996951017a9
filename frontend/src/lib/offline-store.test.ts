import { beforeEach, describe, expect, it } from 'vitest';
import { createClient, GraphQLRequestError, graphql, NetworkError } from './graphql';
import {
  cachedQuery,
  clearRecords,
  EARLY_ANSWER_MS,
  getRecord,
  MAX_RECORDS,
  putRecord,
  sendEarly,
} from './offline-store';
import { freshIndexedDB } from './test-db';

const Me = graphql(`query Me { me { id displayName } }`);
const online = (name: string) =>
  createClient({
    fetch: async () =>
      new Response(JSON.stringify({ data: { me: { id: 'U1', displayName: name } } }), {
        headers: { 'content-type': 'application/json' },
      }),
  });
const offline = createClient({
  fetch: async () => {
    throw new TypeError('Failed to fetch');
  },
});

beforeEach(freshIndexedDB);

describe('cachedQuery', () => {
  it('stores a fresh answer with the time it was fetched', async () => {
    const at = new Date('2024-03-05T06:05:00Z');
    const result = await cachedQuery(online('王芳'), 'me', Me, undefined, () => at);
    expect(result).toEqual({
      data: { me: { id: 'U1', displayName: '王芳' } },
      fetchedAt: at,
      fromCache: false,
    });
    expect(await getRecord('me')).toEqual({ data: result.data, fetchedAt: at });
  });

  it('answers from the device when offline, saying how old the data is', async () => {
    const at = new Date('2024-03-05T06:05:00Z');
    await cachedQuery(online('王芳'), 'me', Me, undefined, () => at);
    const result = await cachedQuery(offline, 'me', Me);
    expect(result.fromCache).toBe(true);
    expect(result.fetchedAt).toEqual(at);
    expect(result.data.me.displayName).toBe('王芳');
  });

  it('fails offline when nothing was stored', async () => {
    await expect(cachedQuery(offline, 'me', Me)).rejects.toBeInstanceOf(NetworkError);
  });

  it('does not paper over a GraphQL error with stale data', async () => {
    await cachedQuery(online('王芳'), 'me', Me);
    const refusing = createClient({
      fetch: async () =>
        new Response(
          JSON.stringify({ errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }] }),
          {
            headers: { 'content-type': 'application/json' },
          },
        ),
    });
    await expect(cachedQuery(refusing, 'me', Me)).rejects.toBeInstanceOf(GraphQLRequestError);
  });
});

describe('records', () => {
  it('are all removed at logout', async () => {
    await putRecord('customer:1', { name: 'A' });
    await putRecord('customer:2', { name: 'B' });
    await clearRecords();
    expect(await getRecord('customer:1')).toBeUndefined();
    expect(await getRecord('customer:2')).toBeUndefined();
  });

  it('keep the most recently fetched ones when over the limit', async () => {
    for (let i = 0; i <= MAX_RECORDS; i++) await putRecord(`customer:${i}`, i, new Date(1_000_000 + i));
    expect(await getRecord('customer:0')).toBeUndefined();
    expect((await getRecord(`customer:${MAX_RECORDS}`))?.data).toBe(MAX_RECORDS);
    expect((await getRecord('customer:1'))?.data).toBe(1);
  });
});

describe('sendEarly', () => {
  /** A client that answers each request with the next name, counting the requests. */
  function counting(...names: string[]) {
    const calls = { count: 0 };
    const client = createClient({
      fetch: async () => {
        const name = names[calls.count++];
        if (name === undefined) throw new TypeError('Failed to fetch');
        return new Response(JSON.stringify({ data: { me: { id: 'U1', displayName: name } } }), {
          headers: { 'content-type': 'application/json' },
        });
      },
    });
    return { client, calls };
  }

  it('hands the early answer to the first cachedQuery of that key, and stores it', async () => {
    const { client, calls } = counting('早', '晚');
    sendEarly(client, 'me', Me);
    const result = await cachedQuery(client, 'me', Me);
    expect(result.data.me.displayName).toBe('早');
    expect(calls.count).toBe(1);
    expect((await getRecord<typeof result.data>('me'))?.data.me.displayName).toBe('早');
  });

  it('is taken once: the next cachedQuery asks the server', async () => {
    const { client, calls } = counting('早', '晚');
    sendEarly(client, 'me', Me);
    await cachedQuery(client, 'me', Me);
    const again = await cachedQuery(client, 'me', Me);
    expect(again.data.me.displayName).toBe('晚');
    expect(calls.count).toBe(2);
  });

  it('is not used for other variables', async () => {
    const { client } = counting('早', '晚');
    sendEarly(client, 'me', Me, { a: 1 } as never);
    const result = await cachedQuery(client, 'me', Me, { a: 2 } as never);
    expect(result.data.me.displayName).toBe('晚');
  });

  it('asks again when the early request failed', async () => {
    const refusing = createClient({
      fetch: async () =>
        new Response(
          JSON.stringify({ errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }] }),
          {
            headers: { 'content-type': 'application/json' },
          },
        ),
    });
    sendEarly(refusing, 'me', Me);
    const { client } = counting('登录后');
    // The same key, now asked through a signed-in client: the refused early answer is not reused.
    const result = await cachedQuery(client, 'me', Me);
    expect(result.data.me.displayName).toBe('登录后');
  });

  it('is stale once the screen took longer than EARLY_ANSWER_MS to ask', async () => {
    const { client } = counting('早', '晚');
    const sent = new Date('2024-03-05T06:05:00Z');
    sendEarly(client, 'me', Me, undefined, () => sent.getTime());
    const late = new Date(sent.getTime() + EARLY_ANSWER_MS + 1);
    const result = await cachedQuery(client, 'me', Me, undefined, () => late);
    expect(result.data.me.displayName).toBe('晚');
  });
});
