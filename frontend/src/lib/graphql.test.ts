import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  createClient,
  GraphQLRequestError,
  graphql,
  isErrorPayload,
  isUnauthenticated,
  NetworkError,
  type ResultOfOp,
} from './graphql';

const Me = graphql(`
  query Me { me { id displayName } }
`);

const CheckIn = graphql(`
  mutation CheckIn($input: CheckInForServiceInput!) {
    checkInForService(input: $input) {
      __typename
      ... on CheckInSuccess { visit { id } }
      ... on ConflictError { message currentVersion }
      ... on RuleViolationError { message reasons { code message } }
    }
  }
`);

function json(body: unknown, status = 200, type = 'application/graphql-response+json') {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}

describe('graphql client', () => {
  it('POSTs the operation as JSON to /graphql with same-origin credentials', async () => {
    const fetch = vi.fn(async () => json({ data: { me: { id: 'U1', displayName: '王芳' } } }));
    const client = createClient({ fetch });
    const data = await client.request(Me);
    expect(data.me.displayName).toBe('王芳');
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/graphql');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect(new Headers(init.headers).get('content-type')).toBe('application/json');
    const body = JSON.parse(String(init.body));
    expect(body.query).toContain('query Me');
    expect(body.variables).toEqual({});
  });

  it('sends variables', async () => {
    const fetch = vi.fn(async () =>
      json({ data: { checkInForService: { __typename: 'CheckInSuccess', visit: { id: 'V1' } } } }),
    );
    await createClient({ fetch }).request(CheckIn, { input: { customerId: 'C1', clientMutationId: 'k1' } });
    const init = (fetch.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect(JSON.parse(String(init.body)).variables).toEqual({
      input: { customerId: 'C1', clientMutationId: 'k1' },
    });
  });

  it('surfaces GraphQL errors with their code', async () => {
    const fetch = vi.fn(async () =>
      json({ data: null, errors: [{ message: 'Not signed in', extensions: { code: 'UNAUTHENTICATED' } }] }),
    );
    const error = await createClient({ fetch })
      .request(Me)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect((error as GraphQLRequestError).code).toBe('UNAUTHENTICATED');
    expect((error as GraphQLRequestError).message).toBe('Not signed in');
    expect(isUnauthenticated(error)).toBe(true);
  });

  it('tells the session when the server says UNAUTHENTICATED, and only then', async () => {
    const onUnauthenticated = vi.fn();
    const expired = createClient({
      onUnauthenticated,
      fetch: async () => json({ errors: [{ message: 'x', extensions: { code: 'UNAUTHENTICATED' } }] }),
    });
    const forbidden = createClient({
      onUnauthenticated,
      fetch: async () => json({ errors: [{ message: 'x', extensions: { code: 'FORBIDDEN' } }] }),
    });
    await expect(forbidden.request(Me)).rejects.toBeInstanceOf(GraphQLRequestError);
    expect(onUnauthenticated).not.toHaveBeenCalled();
    await expect(expired.request(Me)).rejects.toBeInstanceOf(GraphQLRequestError);
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });

  it('reads errors from a 4xx GraphQL response too', async () => {
    const fetch = vi.fn(async () => json({ errors: [{ message: 'Syntax Error' }] }, 400));
    const error = await createClient({ fetch })
      .request(Me)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect((error as GraphQLRequestError).status).toBe(400);
    expect(isUnauthenticated(error)).toBe(false);
  });

  it('does not hide errors next to partial data', async () => {
    const fetch = vi.fn(async () =>
      json({ data: { me: null }, errors: [{ message: 'boom', path: ['me'] }] }, 200, 'application/json'),
    );
    const error = await createClient({ fetch })
      .request(Me)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect((error as GraphQLRequestError).data).toEqual({ me: null });
  });

  it('turns a failed fetch into a retryable NetworkError', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const error = await createClient({ fetch })
      .request(Me)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
  });

  it('treats a non-GraphQL answer (proxy error page) as a NetworkError with its status', async () => {
    const fetch = vi.fn(
      async () =>
        new Response('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }),
    );
    const error = await createClient({ fetch })
      .request(Me)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).status).toBe(502);
  });

  it('passes an abort through untouched', async () => {
    const controller = new AbortController();
    const fetch = vi.fn(async (_url: unknown, init?: RequestInit) => {
      init?.signal?.throwIfAborted();
      return json({ data: {} });
    });
    controller.abort();
    const error = await createClient({ fetch })
      .request(Me, undefined, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
  });
});

describe('union payloads', () => {
  it('tells error members from the success member by __typename', async () => {
    const fetch = vi.fn(async () =>
      json({
        data: {
          checkInForService: {
            __typename: 'RuleViolationError',
            message: 'no',
            reasons: [{ code: 'X', message: 'why' }],
          },
        },
      }),
    );
    const { checkInForService: payload } = await createClient({ fetch }).request(CheckIn, {
      input: { customerId: 'C1' },
    });
    expect(isErrorPayload(payload)).toBe(true);
    if (payload.__typename === 'RuleViolationError') {
      expect(payload.reasons[0]?.code).toBe('X');
    }
    expect(isErrorPayload({ __typename: 'CheckInSuccess' })).toBe(false);
    expect(isErrorPayload({ __typename: 'ConflictError' })).toBe(true);
  });

  it('insists on __typename being selected', () => {
    expect(() => isErrorPayload({})).toThrow(/__typename/);
  });
});

describe('fragments', () => {
  const StoreFields = graphql(`
    fragment StoreFields on Store { name timeZone }
  `);
  const UserFields = graphql(
    `
    fragment UserFields on User { id displayName store { ...StoreFields } }
  `,
    [StoreFields],
  );
  const MeWithFragments = graphql(
    `
    query MeWithFragments { me { ...UserFields store { ...StoreFields } } }
  `,
    [UserFields, StoreFields],
  );

  it('sends the operation followed by every fragment it uses, each defined once', async () => {
    const fetch = vi.fn(async () =>
      json({
        data: { me: { id: 'U1', displayName: '王芳', store: { name: 'A', timeZone: 'Asia/Shanghai' } } },
      }),
    );
    const data = await createClient({ fetch }).request(MeWithFragments);
    expect(data.me.store?.timeZone).toBe('Asia/Shanghai');
    const init = (fetch.mock.calls[0] as unknown as [string, RequestInit])[1];
    const query: string = JSON.parse(String(init.body)).query;
    expect(query.trimStart().startsWith('query MeWithFragments')).toBe(true);
    expect(query.match(/fragment UserFields on User/g)).toHaveLength(1);
    expect(query.match(/fragment StoreFields on Store/g)).toHaveLength(1);
    expect(query.indexOf('fragment UserFields')).toBeLessThan(query.indexOf('fragment StoreFields'));
  });

  it('leaves a document without fragments as it was written', () => {
    expect(Me.source).toBe(`
  query Me { me { id displayName } }
`);
  });

  it('types the result with the fragments unmasked (fields inline, no fragment references)', () => {
    expectTypeOf<ResultOfOp<typeof MeWithFragments>>().toEqualTypeOf<{
      me: { id: string; displayName: string; store: { name: string; timeZone: string } | null };
    }>();
  });
});
