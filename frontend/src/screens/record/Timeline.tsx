/** The record's timeline, newest first, loading older pages as the user scrolls to the end. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDateTime } from '../../lib/format';
import { client } from '../../lib/graphql';
import { type MessageKey, t } from '../../lib/i18n';
import type { CustomerRecord } from './operations';
import { TIMELINE_PAGE, TimelinePageQuery } from './operations';

type Page = CustomerRecord['timeline'];
type TimelineEvent = Page['edges'][number]['node'];

/** The event's kind in the user's language; kinds added after this build get a generic label. */
export function eventLabel(kind: string): string {
  const key = `timeline.kind.${kind}` as MessageKey;
  const label = t(key);
  return label === key ? t('timeline.kind.unknown') : label;
}

export function Timeline({ customerId, first }: { customerId: string; first: Page }) {
  const [older, setOlder] = useState<TimelineEvent[]>([]);
  const [cursor, setCursor] = useState({ more: first.pageInfo.hasNextPage, after: first.pageInfo.endCursor });
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const sentinel = useRef<HTMLDivElement>(null);
  const busy = useRef(false);

  // A fresh first page (refetch, back online) restarts the list.
  useEffect(() => {
    setOlder([]);
    setCursor({ more: first.pageInfo.hasNextPage, after: first.pageInfo.endCursor });
  }, [first]);

  async function loadMore() {
    if (busy.current || !cursor.more) return;
    busy.current = true;
    setLoading(true);
    setFailed(false);
    try {
      const data = await client.request(TimelinePageQuery, {
        id: customerId,
        first: TIMELINE_PAGE,
        after: cursor.after ?? null,
      });
      const page = data.customer?.timeline;
      if (!page) return;
      setOlder((current) => [...current, ...page.edges.map((edge) => edge.node)]);
      setCursor({ more: page.pageInfo.hasNextPage, after: page.pageInfo.endCursor });
    } catch {
      setFailed(true);
    } finally {
      busy.current = false;
      setLoading(false);
    }
  }

  useEffect(() => {
    const target = sentinel.current;
    if (!target || !cursor.more || failed || typeof IntersectionObserver !== 'function') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) void loadMore();
      },
      { rootMargin: '200px' },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [cursor, failed]);

  const events = [...first.edges.map((edge) => edge.node), ...older];
  if (events.length === 0) return <p class="muted">{t('record.timelineEmpty')}</p>;
  return (
    <>
      <ol class="timeline" data-testid="timeline">
        {events.map((event) => (
          <TimelineItem key={event.id} event={event} />
        ))}
      </ol>
      <div ref={sentinel} class="timeline-end" aria-live="polite">
        {failed && <p class="field-error">{t('record.timelineFailed')}</p>}
        {cursor.more ? (
          <button type="button" class="button button-block" disabled={loading} onClick={loadMore}>
            {loading ? t('app.loading') : t('record.timelineMore')}
          </button>
        ) : (
          <p class="muted">{t('record.timelineEnd')}</p>
        )}
      </div>
    </>
  );
}

function TimelineItem({ event }: { event: TimelineEvent }) {
  const departmentKey = event.department ? (`department.${event.department}` as const) : null;
  return (
    <li class={`timeline-item kind-${event.kind}`} data-kind={event.kind}>
      <p class="timeline-title">
        <strong>{eventLabel(event.kind)}</strong>
        {event.summary && <span class="timeline-summary">{event.summary}</span>}
      </p>
      <p class="muted">
        <time dateTime={event.at}>{formatDateTime(event.at)}</time>
        {departmentKey && ` · ${t(departmentKey)}`}
        {event.actor && ` · ${event.actor.displayName}`}
      </p>
    </li>
  );
}
