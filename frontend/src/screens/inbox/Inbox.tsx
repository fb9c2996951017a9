/** Inbox (提醒): my alerts, newest first; tap one to read it and open what it is about. */
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useCachedQuery } from '../../app/useCachedQuery';
import { dueState, formatAgo, formatDue, formatTime } from '../../lib/format';
import { client, isErrorPayload, type ResultOfOp } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { MarkAlertReadMutation } from '../../lib/push';
import { InboxQuery, MarkAllAlertsReadMutation } from './operations';
import { setUnreadCount, unreadCount } from './unread';
import './inbox.css';

type Connection = ResultOfOp<typeof InboxQuery>['inbox'];
export type Alert = Connection['edges'][number]['node'];

const PAGE = 20;
// Alerts whose body is only the task's deadline: worded here like Today words it, relative to now.
const DEADLINE_KINDS: ReadonlySet<Alert['kind']> = new Set([
  'TASK_ASSIGNED',
  'TASK_DUE_SOON',
  'TASK_OVERDUE',
]);

/** The alert's second line: the task's deadline as of now, else the server's body. */
export function alertBody(alert: Pick<Alert, 'kind' | 'body' | 'taskDueAt'>, now: Date = new Date()): string {
  return alert.taskDueAt && DEADLINE_KINDS.has(alert.kind) ? formatDue(alert.taskDueAt, {}, now) : alert.body;
}

/** Where tapping an alert goes: its in-app path; a task alert opens its customer when known. */
export function alertTarget(alert: Pick<Alert, 'url' | 'customer'>): string {
  const url = alert.url.startsWith('/') && !alert.url.startsWith('//') ? alert.url : '/inbox';
  if (url.startsWith('/tasks/') && alert.customer) return `/customers/${alert.customer.id}`;
  return url;
}

export function Inbox() {
  const firstPage = useCachedQuery('inbox', InboxQuery, { first: PAGE, after: null });
  const location = useLocation();
  const [older, setOlder] = useState<{ alerts: Alert[]; endCursor: string | null; hasNext: boolean } | null>(
    null,
  );
  const [readIds, setReadIds] = useState<ReadonlySet<string>>(new Set());
  const [allRead, setAllRead] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  // Once per answer from the server (not per render, which would undo "mark all read").
  const fresh = firstPage.status === 'ready' && !firstPage.fromCache ? firstPage.data : null;
  useEffect(() => {
    if (fresh) setUnreadCount(fresh.unreadAlertCount);
  }, [fresh]);

  if (firstPage.status === 'loading') {
    return (
      <section class="screen">
        <h1>{t('inbox.title')}</h1>
        <p class="muted">{t('app.loading')}</p>
      </section>
    );
  }
  if (firstPage.status === 'error') {
    return (
      <section class="screen">
        <h1>{t('inbox.title')}</h1>
        <div class="notice" role="alert">
          <p>{t('inbox.unavailable')}</p>
          <button type="button" class="button" onClick={firstPage.refetch}>
            {t('app.retry')}
          </button>
        </div>
      </section>
    );
  }

  const first = firstPage.data.inbox;
  const alerts = uniqueById([...first.edges.map((edge) => edge.node), ...(older?.alerts ?? [])]);
  const isRead = (alert: Alert) => allRead || alert.readAt !== null || readIds.has(alert.id);
  const unread = alerts.filter((alert) => !isRead(alert)).length;
  const hasNext = older ? older.hasNext : first.pageInfo.hasNextPage;
  const endCursor = older ? older.endCursor : first.pageInfo.endCursor;

  async function loadMore() {
    if (!endCursor) return;
    setLoadingMore(true);
    setMessage(null);
    try {
      const data = await client.request(InboxQuery, { first: PAGE, after: endCursor });
      setOlder((current) => ({
        alerts: [...(current?.alerts ?? []), ...data.inbox.edges.map((edge) => edge.node)],
        endCursor: data.inbox.pageInfo.endCursor,
        hasNext: data.inbox.pageInfo.hasNextPage,
      }));
    } catch {
      setMessage({ text: t('inbox.loadMoreFailed'), error: true });
    } finally {
      setLoadingMore(false);
    }
  }

  function open(alert: Alert, event: MouseEvent) {
    if (event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    if (!isRead(alert)) {
      setReadIds((current) => new Set(current).add(alert.id));
      const known = unreadCount();
      if (known !== null && known > 0) setUnreadCount(known - 1);
      // Not awaited: the next screen opens at once; the request finishes behind it.
      client.request(MarkAlertReadMutation, { input: { id: alert.id } }).catch(() => undefined);
    }
    location.route(alertTarget(alert));
  }

  async function markAllRead() {
    setMessage(null);
    try {
      const result = await client.request(MarkAllAlertsReadMutation, { input: {} });
      const payload = result.markAllAlertsRead;
      if (isErrorPayload(payload)) throw new Error(payload.__typename);
      setAllRead(true);
      setUnreadCount(payload.unreadAlertCount);
      setMessage({ text: t('inbox.allReadDone'), error: false });
    } catch {
      setMessage({ text: t('inbox.allReadFailed'), error: true });
    }
  }

  return (
    <section class="screen" aria-labelledby="inbox-title">
      <div class="inbox-head">
        <h1 id="inbox-title">{t('inbox.title')}</h1>
        {unread > 0 && (
          <button type="button" class="button" onClick={markAllRead}>
            {t('inbox.markAllRead')}
          </button>
        )}
      </div>
      <p class={message?.error ? 'form-error' : 'status-line'} role={message?.error ? 'alert' : 'status'}>
        {message?.text ?? ''}
      </p>
      {alerts.length === 0 ? (
        <p class="empty-state">{t('inbox.empty')}</p>
      ) : (
        <ul class="alert-list">
          {alerts.map((alert) => (
            <AlertItem key={alert.id} alert={alert} read={isRead(alert)} onOpen={open} />
          ))}
        </ul>
      )}
      {hasNext && (
        <button type="button" class="button button-block" onClick={loadMore} disabled={loadingMore}>
          {loadingMore ? t('app.loading') : t('inbox.loadMore')}
        </button>
      )}
    </section>
  );
}

function uniqueById(alerts: Alert[]): Alert[] {
  const seen = new Set<string>();
  return alerts.filter((alert) => {
    if (seen.has(alert.id)) return false;
    seen.add(alert.id);
    return true;
  });
}

function AlertItem({
  alert,
  read,
  onOpen,
}: {
  alert: Alert;
  read: boolean;
  onOpen: (alert: Alert, event: MouseEvent) => void;
}) {
  const heldUntil =
    alert.pushState === 'QUEUED' && new Date(alert.dueAt).getTime() > Date.now() ? alert.dueAt : null;
  const body = alertBody(alert);
  const dueNowState =
    alert.taskDueAt && DEADLINE_KINDS.has(alert.kind) ? dueState(alert.taskDueAt) : undefined;
  const late = dueNowState === 'overdue';
  return (
    <li class={`alert-item${read ? '' : ' alert-unread'}${alert.urgent ? ' alert-urgent' : ''}`}>
      <a href={alertTarget(alert)} class="alert-link" onClick={(event) => onOpen(alert, event)}>
        <span class="alert-title">
          {!read && <span class="visually-hidden">{t('inbox.unread')} </span>}
          {alert.title}
        </span>
        {body && (
          <span class={`alert-body${late ? ' overdue' : ''}`} data-due-state={dueNowState}>
            {body}
          </span>
        )}
        <span class="alert-meta">
          <time dateTime={alert.createdAt}>{formatAgo(alert.createdAt)}</time>
          {alert.pushState === 'FAILED' && (
            <span class="chip chip-danger" title={alert.pushError ?? undefined}>
              {t('inbox.pushFailed')}
            </span>
          )}
          {heldUntil && <span class="chip">{t('inbox.pushHeld', { time: formatTime(heldUntil) })}</span>}
        </span>
      </a>
    </li>
  );
}
