/**
 * In the workshop today (今日在店): the store's customers checked in today whose visit is still
 * open — the people the advisor may meet at the desk any minute, one tap from their record.
 */
import { useState } from 'preact/hooks';
import { useCachedQuery } from '../../app/useCachedQuery';
import { formatAgo } from '../../lib/format';
import { t } from '../../lib/i18n';
import { Badges } from '../record/Badges';
import { InWorkshopTodayQuery } from './operations';

// The latest arrivals; the rest one tap away, so a busy workshop does not push the tasks
// below the first screen.
const SHOWN_FIRST = 2;

export function InWorkshop() {
  const visits = useCachedQuery('inWorkshopToday', InWorkshopTodayQuery);
  const [showAll, setShowAll] = useState(false);
  if (visits.status !== 'ready') return null;
  const all = visits.data.inWorkshopToday;
  const list = showAll ? all : all.slice(0, SHOWN_FIRST);
  return (
    <section class="bucket bucket-workshop" aria-labelledby="bucket-workshop" data-testid="in-workshop">
      <h2 id="bucket-workshop">
        {t('today.inWorkshop')} <span class="count">{all.length}</span>
      </h2>
      {list.length === 0 ? (
        <p class="muted">{t('today.inWorkshopEmpty')}</p>
      ) : (
        <ul class="card-list">
          {list.map(({ visit, customer }) => (
            <li key={visit.id} class={`card${customer.isHighPriority ? ' card-priority' : ''}`}>
              <a class="card-link" href={`/customers/${encodeURIComponent(customer.id)}`}>
                <span class="card-title">
                  {customer.name} <Badges tags={customer.tags} highPriority={customer.isHighPriority} />
                </span>
                {visit.complaint && <span class="card-line">{visit.complaint}</span>}
                <span class="card-line muted">
                  {t('today.checkedIn', { time: formatAgo(visit.checkedInAt) })}
                  {visit.vehicle?.plate && (
                    <>
                      {' · '}
                      <span class="plate nowrap">{visit.vehicle.plate}</span>
                    </>
                  )}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {all.length > list.length && (
        <button type="button" class="button button-block" onClick={() => setShowAll(true)}>
          {t('today.inWorkshopAll', { count: all.length })}
        </button>
      )}
    </section>
  );
}
