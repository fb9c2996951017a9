/**
 * A small fetch-based GraphQL client.
 *
 * Operations are typed by gql.tada from schema.graphql at compile time only: `graphql()`
 * keeps the source string and carries result/variable types, so no parser or document
 * runtime ships to the phone. Fragments compose the gql.tada way, `graphql(source, [fragment])`:
 * the document sent is the source followed by each fragment's definition, once.
 */
import type { $tada, initGraphQLTada, ResultOf, VariablesOf } from 'gql.tada';
import type { introspection } from '../graphql-env';

type Setup = {
  introspection: introspection;
  disableMasking: true;
  scalars: { DateTime: string; Date: string; ID: string; JSON: unknown };
};

// Type-level only: never called, so nothing of gql.tada reaches the bundle.
declare const tada: initGraphQLTada<Setup>;

/** What gql.tada accepts as a fragment: anything carrying its phantom decorations. */
type FragmentShape = NonNullable<Parameters<typeof tada>[1]>[number];

export interface Operation<Result, Variables> {
  readonly source: string;
  /** Phantom field: lets TypeScript carry the types; never set at runtime. */
  readonly __types?: { result: Result; variables: Variables };
}

/**
 * What `graphql()` returns: the source to send, the definitions it is made of (its own, then
 * its fragments', each once) and, as phantom fields, gql.tada's types, so it can itself be
 * passed as a fragment.
 */
export type Document<Typed> = Operation<ResultOf<Typed>, VariablesOf<Typed>> &
  Pick<Typed, Extract<'__apiType' | $tada.definition, keyof Typed>> & {
    readonly definitions: readonly string[];
  };

export type ResultOfOp<Op> = Op extends Operation<infer R, unknown> ? R : never;
export type VariablesOfOp<Op> = Op extends Operation<unknown, infer V> ? V : never;

type Fragment = FragmentShape & { readonly definitions: readonly string[] };

export function graphql<
  const Source extends string,
  const Fragments extends readonly Fragment[] = readonly Fragment[],
>(source: Source, fragments?: Fragments) {
  // Only for inference: TypeScript computes the typed document from this closure's type.
  const typed = () => tada(source, fragments);
  const definitions = [source as string];
  for (const fragment of fragments ?? []) {
    for (const definition of fragment.definitions) {
      if (!definitions.includes(definition)) definitions.push(definition);
    }
  }
  return { source: definitions.join('\n'), definitions } as unknown as Document<ReturnType<typeof typed>>;
}

export interface GraphQLErrorItem {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

/** The server answered, with GraphQL errors (e.g. UNAUTHENTICATED, FORBIDDEN). */
export class GraphQLRequestError extends Error {
  readonly errors: GraphQLErrorItem[];
  readonly code: string | undefined;
  readonly status: number;
  readonly data: unknown;

  constructor(errors: GraphQLErrorItem[], status: number, data: unknown) {
    super(errors.map((e) => e.message).join('; ') || `GraphQL error (HTTP ${status})`);
    this.name = 'GraphQLRequestError';
    this.errors = errors;
    this.code = errors.find((e) => e.extensions?.code)?.extensions?.code;
    this.status = status;
    this.data = data;
  }

  hasCode(code: string): boolean {
    return this.errors.some((e) => e.extensions?.code === code);
  }
}

/** No usable answer: offline, DNS, server down or a non-GraphQL response. Safe to retry. */
export class NetworkError extends Error {
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.name = 'NetworkError';
    this.status = status;
  }
}

export function isUnauthenticated(error: unknown): boolean {
  return error instanceof GraphQLRequestError && error.hasCode('UNAUTHENTICATED');
}

export interface ClientOptions {
  endpoint?: string;
  fetch?: typeof fetch;
  /** Called when the server says the session is gone, whichever request noticed it. */
  onUnauthenticated?: () => void;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface GraphQLClient {
  request<Op extends Operation<unknown, unknown>>(
    operation: Op,
    variables?: VariablesOfOp<Op>,
    options?: RequestOptions,
  ): Promise<ResultOfOp<Op>>;
}

interface WireResponse {
  data?: unknown;
  errors?: GraphQLErrorItem[];
}

export function createClient(options: ClientOptions = {}): GraphQLClient {
  const endpoint = options.endpoint ?? '/graphql';
  return {
    async request(operation, variables, requestOptions) {
      const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
      let response: Response;
      try {
        response = await doFetch(endpoint, {
          method: 'POST',
          credentials: 'same-origin',
          headers: {
            'content-type': 'application/json',
            accept: 'application/graphql-response+json, application/json',
          },
          body: JSON.stringify({ query: operation.source, variables: variables ?? {} }),
          signal: requestOptions?.signal ?? null,
        });
      } catch (error) {
        if (error instanceof DOMException && error.name === 'AbortError') throw error;
        throw new NetworkError(error instanceof Error ? error.message : String(error));
      }
      const body = await readBody(response);
      if (!body) {
        throw new NetworkError(`HTTP ${response.status} without a GraphQL body`, response.status);
      }
      if (body.errors && body.errors.length > 0) {
        const error = new GraphQLRequestError(body.errors, response.status, body.data ?? null);
        if (error.hasCode('UNAUTHENTICATED')) options.onUnauthenticated?.();
        throw error;
      }
      if (body.data === undefined || body.data === null) {
        throw new NetworkError(`HTTP ${response.status} without data`, response.status);
      }
      return body.data as never;
    },
  };
}

async function readBody(response: Response): Promise<WireResponse | null> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return null;
  try {
    const parsed: unknown = await response.json();
    return parsed && typeof parsed === 'object' ? (parsed as WireResponse) : null;
  } catch {
    return null;
  }
}

/** Mutation payloads are unions; every failure member's name ends in "Error". */
type Typed = { __typename?: string };
export type ErrorMember<P> = Extract<P, { __typename: `${string}Error` }>;
export type SuccessMember<P> = Exclude<P, { __typename: `${string}Error` }>;

export function isErrorPayload<P extends Typed>(payload: P): payload is ErrorMember<P> & P {
  const name = payload.__typename;
  if (name === undefined) {
    throw new Error('Select __typename on every mutation payload union');
  }
  return name.endsWith('Error');
}

const unauthenticatedListeners = new Set<() => void>();

/** The app's session listens here to send the user to login when the cookie expires. */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export const client: GraphQLClient = createClient({
  onUnauthenticated: () => {
    for (const listener of unauthenticatedListeners) listener();
  },
});
