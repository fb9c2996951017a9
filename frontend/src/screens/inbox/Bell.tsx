/** The header bell: how many alerts I have not read, one tap to the inbox. */
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { t } from '../../lib/i18n';
import type { SwMessage } from '../../lib/sw-protocol';
import { refreshUnread, subscribeUnread, unreadCount } from './unread';

// Modest: the push itself is the fast path; this catches alerts raised while push was off.
const POLL_MS = 60_000;

export function Bell() {
  const [count, setCount] = useState(unreadCount);
  const { path } = useLocation();

  useEffect(() => {
    const unsubscribe = subscribeUnread(setCount);
    void refreshUnread();
    const onVisible = () => {
      if (document.visibilityState === 'visible') void refreshUnread();
    };
    const timer = window.setInterval(onVisible, POLL_MS);
    const onMessage = (event: MessageEvent<SwMessage>) => {
      if (event.data?.type === 'alerts-changed') void refreshUnread();
    };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onVisible);
    window.addEventListener('online', onVisible);
    navigator.serviceWorker?.addEventListener('message', onMessage);
    return () => {
      unsubscribe();
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', onVisible);
      window.removeEventListener('online', onVisible);
      navigator.serviceWorker?.removeEventListener('message', onMessage);
    };
  }, []);

  const unread = count ?? 0;
  const label = unread > 0 ? t('inbox.bellUnread', { count: unread }) : t('inbox.bell');
  return (
    <a href="/inbox" class="header-button bell" aria-current={path === '/inbox' ? 'page' : undefined}>
      <svg aria-hidden="true" viewBox="0 0 24 24" width="24" height="24">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
        />
      </svg>
      <span class="visually-hidden">{label}</span>
      {unread > 0 && (
        <span class="bell-count" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </a>
  );
}
