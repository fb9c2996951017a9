/**
 * A screen's query, readable offline: network first, the device's copy when offline (and the
 * banner then says how old it is). Refetches when the connection comes back.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import {
  client,
  type GraphQLClient,
  type Operation,
  type ResultOfOp,
  type VariablesOfOp,
} from '../lib/graphql';
import { cachedQuery } from '../lib/offline-store';
import { useDataAge } from './connectivity';

export type CachedQueryState<R> =
  | { status: 'loading'; data: undefined; error: undefined }
  | { status: 'error'; data: undefined; error: unknown }
  | { status: 'ready'; data: R; error: undefined; fetchedAt: Date; fromCache: boolean };

export function useCachedQuery<Op extends Operation<unknown, unknown>>(
  key: string,
  operation: Op,
  variables?: VariablesOfOp<Op>,
  options: { client?: GraphQLClient } = {},
): CachedQueryState<ResultOfOp<Op>> & { refetch: () => void } {
  const [state, setState] = useState<CachedQueryState<ResultOfOp<Op>>>({
    status: 'loading',
    data: undefined,
    error: undefined,
  });
  const generation = useRef(0);
  const activeClient = options.client ?? client;
  // Variables are compared by value so a new object literal each render does not refetch.
  const variablesKey = JSON.stringify(variables ?? null);

  const run = useCallback(() => {
    const mine = ++generation.current;
    cachedQuery(activeClient, key, operation, JSON.parse(variablesKey) ?? undefined).then(
      (result) => {
        if (mine !== generation.current) return;
        setState({ status: 'ready', error: undefined, ...result } as CachedQueryState<ResultOfOp<Op>>);
      },
      (error: unknown) => {
        if (mine !== generation.current) return;
        setState((current) =>
          // Keep showing what we have rather than blanking the screen on a failed refresh.
          current.status === 'ready' ? current : { status: 'error', data: undefined, error },
        );
      },
    );
  }, [activeClient, key, operation, variablesKey]);

  useEffect(() => {
    run();
    window.addEventListener('online', run);
    return () => {
      window.removeEventListener('online', run);
      generation.current += 1;
    };
  }, [run]);

  useDataAge(state.status === 'ready' ? state.fetchedAt : null, state.status === 'ready' && state.fromCache);
  return { ...state, refetch: run };
}
