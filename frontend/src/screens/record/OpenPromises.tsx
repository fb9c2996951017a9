/** What the customer is still owed: promises and entitlements with uses left (承诺与权益). */
import type { ComponentChildren } from 'preact';
import { formatCalendarDate } from '../../lib/format';
import { type MessageKey, t } from '../../lib/i18n';
import type { CustomerRecord } from './operations';

type OpenPromise = CustomerRecord['openPromises'][number];

function dueText(promise: OpenPromise): string {
  if (promise.due === 'ENTITLEMENT') {
    const left = t('record.entitlementLeft', {
      remaining: promise.entitlementRemaining,
      total: promise.entitlementTotal ?? promise.entitlementRemaining,
    });
    return promise.entitlementValidUntil
      ? `${left} · ${t('record.validUntil', { date: formatCalendarDate(promise.entitlementValidUntil) })}`
      : left;
  }
  if (promise.deferredTo) return t('record.deferredTo', { date: formatCalendarDate(promise.deferredTo) });
  if (promise.due === 'BY_DATE' && promise.dueOn) {
    return t('record.dueOn', { date: formatCalendarDate(promise.dueOn) });
  }
  return t('promise.due.AT_HANDOVER');
}

export function OpenPromises({
  promises,
  action,
  testId = 'open-promises',
}: {
  promises: readonly OpenPromise[];
  /** What the user can do with one of them here, e.g. use an entitlement at this visit. */
  action?: (promise: OpenPromise) => ComponentChildren;
  testId?: string;
}) {
  if (promises.length === 0) return <p class="muted">{t('record.noOpenPromises')}</p>;
  return (
    <ul class="card-list" data-testid={testId}>
      {promises.map((promise) => {
        const categoryKey: MessageKey = `promise.category.${promise.category}`;
        const statusKey: MessageKey = `promise.status.${promise.status}`;
        return (
          <li key={promise.id} class={`card promise promise-${promise.due.toLowerCase()}`}>
            <p class="card-title">{promise.description}</p>
            <p class="muted">
              {t(categoryKey)} · {dueText(promise)}
              {promise.due !== 'ENTITLEMENT' && (
                <>
                  {' '}
                  <span class="pill">{t(statusKey)}</span>
                </>
              )}
            </p>
            {action?.(promise)}
          </li>
        );
      })}
    </ul>
  );
}
