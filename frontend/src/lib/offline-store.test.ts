import { beforeEach, describe, expect, it } from 'vitest';
import { createClient, GraphQLRequestError, graphql, NetworkError } from './graphql';
import { cachedQuery, clearRecords, getRecord, MAX_RECORDS, putRecord } from './offline-store';
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
