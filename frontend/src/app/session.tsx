/**
 * Who is signed in. The session itself is an HttpOnly cookie; here we keep the user's
 * profile (cached on the device so the app opens offline) and the sign-in / sign-out steps.
 */
import { type ComponentChildren, createContext } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { setStoreTimeZone } from '../lib/format';
import {
  client,
  graphql,
  isUnauthenticated,
  NetworkError,
  onUnauthenticated,
  type ResultOfOp,
} from '../lib/graphql';
import { hasSavedLanguage, initLanguage, matchLanguage, setLanguage, tCount } from '../lib/i18n';
import { clearQueue, countQueue, replayQueue } from '../lib/offline-queue';
import { cachedQuery, clearRecords, getRecord, putRecord } from '../lib/offline-store';

export const MeQuery = graphql(`
  query Me {
    me {
      id
      displayName
      role
      abilities
      language
      timeZone
      store { id name timeZone }
    }
  }
`);

export const LogoutMutation = graphql(`
  mutation Logout {
    logout { ok }
  }
`);

export type SessionUser = ResultOfOp<typeof MeQuery>['me'];

export const ME_KEY = 'me';

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous'; expired: boolean }
  | { status: 'signedIn'; user: SessionUser; fromCache: boolean; fetchedAt: Date };

interface SessionApi {
  state: SessionState;
  signedIn: (user: SessionUser) => Promise<void>;
  signOut: () => Promise<boolean>;
  /** A request came back UNAUTHENTICATED: the cookie expired. */
  expired: () => void;
}

const SessionContext = createContext<SessionApi | null>(null);

export function useSession(): SessionApi {
  const api = useContext(SessionContext);
  if (!api) throw new Error('useSession outside <SessionProvider>');
  return api;
}

export function useSignedInUser(): SessionUser {
  const { state } = useSession();
  if (state.status !== 'signedIn') throw new Error('useSignedInUser needs a signed-in session');
  return state.user;
}

function applyUserPreferences(user: SessionUser): void {
  // The zone the server reads for this user: their store's, or its default for staff without
  // a store (regional directors). A profile cached before the field existed has the store's.
  setStoreTimeZone(user.timeZone || user.store?.timeZone);
  if (!hasSavedLanguage()) {
    const language = matchLanguage(user.language);
    if (language) setLanguage(language, false);
  }
}

/** Remove everything the previous user left on this device. */
export async function clearUserData(): Promise<void> {
  await Promise.all([clearRecords(), clearQueue()]);
}

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    let cancelled = false;
    initLanguage();
    cachedQuery(client, ME_KEY, MeQuery)
      .then((result) => {
        if (cancelled) return;
        applyUserPreferences(result.data.me);
        setState({
          status: 'signedIn',
          user: result.data.me,
          fromCache: result.fromCache,
          fetchedAt: result.fetchedAt,
        });
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        if (!(error instanceof NetworkError) && !isUnauthenticated(error)) {
          console.error('session check failed', error);
        }
        setState({ status: 'anonymous', expired: false });
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const signedIn = useCallback(async (user: SessionUser) => {
    const previous = await getRecord<ResultOfOp<typeof MeQuery>>(ME_KEY);
    if (previous && previous.data.me.id !== user.id) await clearUserData();
    await putRecord(ME_KEY, { me: user });
    applyUserPreferences(user);
    setState({ status: 'signedIn', user, fromCache: false, fetchedAt: new Date() });
    // Changes queued before the session expired can go now.
    void replayQueue(client).catch((error: unknown) => console.error('queue replay failed', error));
  }, []);

  const signOut = useCallback(async () => {
    const { pending } = await countQueue();
    if (pending > 0) {
      if (!window.confirm(tCount('session.logoutPending', pending))) return false;
    }
    try {
      await client.request(LogoutMutation);
    } catch {
      // Offline: the server session ends when it expires; the device is cleared regardless.
    }
    await clearUserData();
    setState({ status: 'anonymous', expired: false });
    return true;
  }, []);

  const expired = useCallback(() => {
    setState((current) => (current.status === 'signedIn' ? { status: 'anonymous', expired: true } : current));
  }, []);

  useEffect(() => onUnauthenticated(expired), [expired]);

  const api = useMemo(() => ({ state, signedIn, signOut, expired }), [state, signedIn, signOut, expired]);
  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}
