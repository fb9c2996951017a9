/** Changes made offline: what is still waiting, and what the server refused and why. */
import { useEffect, useState } from 'preact/hooks';
import { formatDateTime } from '../../lib/format';
import { type MessageKey, t } from '../../lib/i18n';
import { dismissFailed, listQueue, type QueuedMutation, subscribeQueue } from '../../lib/offline-queue';

export function Sync() {
  const [items, setItems] = useState<QueuedMutation[]>([]);
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
    <section class="screen">
      <h1>{t('queue.title')}</h1>
      <ul class="card-list">
        {items.map((item) => (
          <li key={item.clientMutationId} class={`card ${item.status === 'failed' ? 'card-refused' : ''}`}>
            <p class="card-title">{t(item.label as MessageKey)}</p>
            <p class="muted">{formatDateTime(item.createdAt)}</p>
            {item.failure && (
              <>
                <p role="alert">{t('queue.refusedBecause', { reason: item.failure.message })}</p>
                <button
                  type="button"
                  class="button"
                  onClick={() => item.seq !== undefined && dismissFailed(item.seq)}
                >
                  {t('queue.dismiss')}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
