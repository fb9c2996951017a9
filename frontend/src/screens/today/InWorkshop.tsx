/**
 * In the workshop today (今日在店): the store's customers checked in today whose visit is still
 * open — the people the advisor may meet at the desk any minute, one tap from their record.
 */
import { useCachedQuery } from '../../app/useCachedQuery';
import { formatAgo } from '../../lib/format';
import { t } from '../../lib/i18n';
import { Badges } from '../record/Badges';
import { InWorkshopTodayQuery } from './operations';

export function InWorkshop() {
  const visits = useCachedQuery('inWorkshopToday', InWorkshopTodayQuery);
  if (visits.status !== 'ready') return null;
  const list = visits.data.inWorkshopToday;
  return (
    <section class="bucket bucket-workshop" aria-labelledby="bucket-workshop" data-testid="in-workshop">
      <h2 id="bucket-workshop">
        {t('today.inWorkshop')} <span class="count">{list.length}</span>
      </h2>
      {list.length === 0 ? (
        <p class="muted">{t('today.inWorkshopEmpty')}</p>
      ) : (
        <ul class="card-list">
          {list.map((visit) => (
            <li key={visit.id} class={`card${visit.customer.isHighPriority ? ' card-priority' : ''}`}>
              <a class="card-link" href={`/customers/${encodeURIComponent(visit.customer.id)}`}>
                <span class="card-title">
                  {visit.customer.name}{' '}
                  <Badges tags={visit.customer.tags} highPriority={visit.customer.isHighPriority} />
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
    </section>
  );
}
