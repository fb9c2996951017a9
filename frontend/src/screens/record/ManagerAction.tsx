/**
 * A store manager at a customer record (店长): what they are there for is what went wrong or may
 * go wrong with this customer, not the advisor's check-in. First the customer's open cases, the
 * most escalated first, each with its escalation clock (escalations are the manager's to step
 * into); then the order whose promises the store is keeping, its checklist a tap away. Check-in
 * stays reachable, below them, for a manager covering the desk.
 */
import { useCachedQuery } from '../../app/useCachedQuery';
import { formatCalendarDate } from '../../lib/format';
import { t, tCount } from '../../lib/i18n';
import '../cases/cases.css';
import { openCases } from '../cases/clock';
import { CaseCardItem } from '../cases/MyCases';
import { CustomerCasesQuery } from '../cases/operations';
import { orderPath } from '../checklist/links';
import type { CustomerRecord } from './operations';

type Order = CustomerRecord['orders'][number];

export function ManagerAction({ customer, order }: { customer: CustomerRecord; order: Order | null }) {
  const cases = useCachedQuery(`customerCases:${customer.id}`, CustomerCasesQuery, {
    customerId: customer.id,
  });
  const open = cases.status === 'ready' ? openCases(cases.data.customerCases) : [];
  const checkInHref = `/customers/${encodeURIComponent(customer.id)}/check-in`;
  const title =
    cases.status !== 'ready'
      ? t('record.manager.cases')
      : open.length === 0
        ? t('record.manager.noOpenCases')
        : tCount('record.manager.openCases', open.length);
  return (
    <section class="main-action" aria-labelledby="main-action-title" data-testid="main-action">
      <h2 id="main-action-title" class="main-action-title">
        {title}
      </h2>
      {cases.status === 'loading' && <p class="muted">{t('app.loading')}</p>}
      {cases.status === 'error' && <p class="muted">{t('record.manager.casesUnavailable')}</p>}
      {open.length > 0 && (
        <ul class="card-list" data-testid="manager-cases">
          {open.map((item) => (
            <CaseCardItem key={item.id} item={item} />
          ))}
        </ul>
      )}
      {order && (
        <>
          <p class="muted">
            {order.modelName}
            {order.plannedDeliveryDate &&
              ` · ${t('record.plannedDelivery', { date: formatCalendarDate(order.plannedDeliveryDate) })}`}
          </p>
          <a class="button button-primary button-block" href={orderPath(customer.id, order.id, 'checklist')}>
            {t('checklist.title')}
          </a>
        </>
      )}
      <a class="button button-block" href={checkInHref}>
        {t('record.checkIn')}
      </a>
    </section>
  );
}
