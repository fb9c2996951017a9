/**
 * Changes made offline: what is still waiting, and what the server refused and why. A change
 * refused because someone else changed the object first is a conflict: mine beside theirs
 * (read fresh), and the user decides; until then the change, note included, stays on the phone.
 */
import { useEffect, useState } from 'preact/hooks';
import { formatDateTime } from '../../lib/format';
import { client, NetworkError } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import {
  dismissFailed,
  listQueue,
  type QueuedMutation,
  type QueueSubject,
  reapplyOnVersion,
  replayQueue,
  subscribeQueue,
} from '../../lib/offline-queue';
import {
  actionLine,
  type Current,
  canReapply,
  customerOf,
  isConflict,
  mineRows,
  newVersionOf,
  type Row,
  refusalText,
  theirsRows,
} from './conflict';
import { QueuedSubjectQuery } from './operations';
import './sync.css';

export function Sync() {
  const [items, setItems] = useState<QueuedMutation[] | null>(null);
  useEffect(() => {
    let alive = true;
    const refresh = () => {
      listQueue().then((next) => alive && setItems(next));
    };
    refresh();
    const unsubscribe = subscribeQueue(refresh);
    return () => {
      alive = false;
      unsubscribe();
    };
  }, []);

  return (
    <section class="screen" aria-labelledby="sync-title">
      <h1 id="sync-title">{t('queue.title')}</h1>
      {items?.length === 0 && <p class="empty">{t('queue.empty')}</p>}
      <ul class="card-list">
        {(items ?? []).map((item) => (
          <li key={item.clientMutationId} class={`card ${item.status === 'failed' ? 'card-refused' : ''}`}>
            <QueuedCard item={item} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Led by the customer: five "welcome callback" cards are told apart by who they are for. */
function QueuedCard({ item }: { item: QueuedMutation }) {
  const customer = customerOf(item.subject);
  return (
    <>
      {customer && <p class="card-title sync-customer">{customer}</p>}
      <p class={customer ? 'sync-subject' : 'card-title'}>{actionLine(item)}</p>
      <p class="muted">
        {formatDateTime(item.createdAt)}
        {item.status === 'pending' && ` · ${t('queue.pending')}`}
      </p>
      {isConflict(item) && item.subject ? (
        <Conflict item={item} subject={item.subject} />
      ) : (
        item.failure && <Refused item={item} />
      )}
    </>
  );
}

function Refused({ item }: { item: QueuedMutation }) {
  const mine = mineRows(item);
  return (
    <>
      <p role="alert">
        {t('queue.refusedTitle')}: {item.failure && refusalText(item.failure)}
      </p>
      {mine.length > 0 && <Rows rows={mine} />}
      <button type="button" class="button" onClick={() => item.seq !== undefined && dismissFailed(item.seq)}>
        {t('queue.dismiss')}
      </button>
    </>
  );
}

type Theirs =
  | { state: 'loading' }
  | { state: 'offline' }
  | { state: 'gone' }
  | { state: 'ready'; current: Current };

function useTheirs(id: string): Theirs {
  const [theirs, setTheirs] = useState<Theirs>({ state: 'loading' });
  useEffect(() => {
    let alive = true;
    const read = () => {
      setTheirs({ state: 'loading' });
      client.request(QueuedSubjectQuery, { id }).then(
        (data) => alive && setTheirs(data.node ? { state: 'ready', current: data.node } : { state: 'gone' }),
        (error: unknown) =>
          alive && setTheirs(error instanceof NetworkError ? { state: 'offline' } : { state: 'gone' }),
      );
    };
    read();
    window.addEventListener('online', read);
    return () => {
      alive = false;
      window.removeEventListener('online', read);
    };
  }, [id]);
  return theirs;
}

function Conflict({ item, subject }: { item: QueuedMutation; subject: QueueSubject }) {
  const theirs = useTheirs(subject.id);
  const [busy, setBusy] = useState(false);
  const current = theirs.state === 'ready' ? theirs.current : null;
  const version = current ? newVersionOf(current, item.failure) : null;
  const headingId = `conflict-${item.clientMutationId}`;

  async function reapply() {
    if (item.seq === undefined || version === null) return;
    setBusy(true);
    try {
      await reapplyOnVersion(item.seq, version);
      if (navigator.onLine) await replayQueue(client);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="conflict" aria-labelledby={headingId}>
      <h2 id={headingId} class="conflict-title">
        {t('queue.conflict.title')}
      </h2>
      <div class="conflict-sides">
        <div class="conflict-side conflict-mine">
          <h3>{t('queue.conflict.mine')}</h3>
          <Rows rows={mineRows(item)} />
        </div>
        <div class="conflict-side conflict-theirs" aria-busy={theirs.state === 'loading'}>
          <h3>{t('queue.conflict.theirs')}</h3>
          {current ? (
            <Rows rows={theirsRows(current, item.label)} />
          ) : (
            <p class="muted">
              {theirs.state === 'loading'
                ? t('queue.conflict.loading')
                : theirs.state === 'offline'
                  ? t('queue.conflict.offline')
                  : t('queue.conflict.gone')}
            </p>
          )}
        </div>
      </div>
      <p class="muted">{t('queue.conflict.kept')}</p>
      <div class="conflict-actions">
        {current && canReapply(current) && (
          <button
            type="button"
            class="button button-primary button-block"
            disabled={busy || version === null}
            onClick={reapply}
          >
            {t('queue.conflict.reapply')}
          </button>
        )}
        <button
          type="button"
          class="button button-block"
          disabled={busy}
          onClick={() => item.seq !== undefined && dismissFailed(item.seq)}
        >
          {t('queue.conflict.keepTheirs')}
        </button>
      </div>
    </section>
  );
}

function Rows({ rows }: { rows: readonly Row[] }) {
  return (
    <dl class="conflict-rows">
      {rows.map((row) => (
        <div key={row.key}>
          <dt>{row.label}</dt>
          <dd>{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}
