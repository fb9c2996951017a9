/**
 * The one thing this person came to the record to do (主操作), right under the name: the
 * delivery specialist hands over the next order, the advisor checks in or works the open
 * visit, sales keeps the order's promises, the store manager steps into the customer's open
 * cases. Everything else sits below.
 */

import type { SessionUser } from '../../app/session';
import { can } from '../../lib/abilities';
import { formatAgo, formatCalendarDate } from '../../lib/format';
import { t } from '../../lib/i18n';
import { entitlementUseAction, usableAtVisit, usedAtVisit, visitInProgress } from '../checkin/EntitlementUse';
import { orderPath } from '../checklist/links';
import { ManagerAction } from './ManagerAction';
import { OpenPromises } from './OpenPromises';
import type { CustomerRecord } from './operations';

type Order = CustomerRecord['orders'][number];

/** The order about to be handed over: submitted, the earliest planned delivery first. */
export function nextHandover(orders: readonly Order[]): Order | null {
  const submitted = orders.filter((order) => order.status === 'SUBMITTED');
  submitted.sort((a, b) =>
    (a.plannedDeliveryDate ?? '9999-12-31').localeCompare(b.plannedDeliveryDate ?? '9999-12-31'),
  );
  return submitted[0] ?? null;
}

/** The order whose promises sales is still keeping: the next handover, else the newest draft. */
function orderInHand(orders: readonly Order[]): Order | null {
  return nextHandover(orders) ?? orders.find((order) => order.status === 'DRAFT') ?? null;
}

/** The order whose handover mode the main action offers, so the orders list does not repeat it. */
export function handoverInMainAction(customer: CustomerRecord, user: SessionUser): Order | null {
  return !can(user, 'CHECK_IN') && can(user, 'COMPLETE_HANDOVER') ? nextHandover(customer.orders) : null;
}

export function MainAction({
  customer,
  user,
  onChanged,
}: {
  customer: CustomerRecord;
  user: SessionUser;
  onChanged: () => void;
}) {
  // Whoever decides cases (a store manager, a director) may check in too, but is at a record
  // for its cases (ManagerAction).
  if (can(user, 'DECIDE_CASE')) {
    return <ManagerAction customer={customer} order={orderInHand(customer.orders)} />;
  }
  if (can(user, 'CHECK_IN')) return <AdvisorAction customer={customer} onChanged={onChanged} />;
  if (can(user, 'COMPLETE_HANDOVER')) {
    const order = handoverInMainAction(customer, user);
    return order ? <OrderAction customer={customer} order={order} handover /> : null;
  }
  if (can(user, 'MANAGE_ORDER')) {
    const order = orderInHand(customer.orders);
    return order ? <OrderAction customer={customer} order={order} handover={false} /> : null;
  }
  return null;
}

function OrderAction({
  customer,
  order,
  handover,
}: {
  customer: CustomerRecord;
  order: Order;
  handover: boolean;
}) {
  return (
    <section class="main-action" aria-labelledby="main-action-title" data-testid="main-action">
      <h2 id="main-action-title" class="main-action-title">
        {order.modelName}
        {order.plannedDeliveryDate && (
          <span class="muted">
            {' · '}
            {t('record.plannedDelivery', { date: formatCalendarDate(order.plannedDeliveryDate) })}
          </span>
        )}
      </h2>
      <div class="button-row">
        {handover && (
          <a class="button button-primary" href={orderPath(customer.id, order.id, 'handover')}>
            {t('checklist.handoverMode')}
          </a>
        )}
        <a
          class={`button${handover ? '' : ' button-primary'}`}
          href={orderPath(customer.id, order.id, 'checklist')}
        >
          {t('checklist.title')}
        </a>
      </div>
    </section>
  );
}

function AdvisorAction({ customer, onChanged }: { customer: CustomerRecord; onChanged: () => void }) {
  const visit = visitInProgress(customer);
  const checkInHref = `/customers/${encodeURIComponent(customer.id)}/check-in`;
  if (!visit) {
    return (
      <a class="button button-primary button-block main-action" href={checkInHref} data-testid="main-action">
        {t('record.checkIn')}
      </a>
    );
  }
  // The ones this visit may use, and those it used (their confirmation stays in place).
  const usable = customer.openPromises.filter(
    (promise) => usableAtVisit(promise, visit) || usedAtVisit(promise, visit),
  );
  return (
    <section class="main-action" aria-labelledby="main-action-title" data-testid="main-action">
      <h2 id="main-action-title" class="main-action-title">
        {t('record.openVisit')}
        <span class="muted">
          {' · '}
          {t('today.checkedIn', { time: formatAgo(visit.checkedInAt) })}
        </span>
      </h2>
      {visit.complaint && <p>{visit.complaint}</p>}
      {usable.length > 0 ? (
        <OpenPromises
          promises={usable}
          action={entitlementUseAction(customer, onChanged)}
          testId="visit-entitlements"
        />
      ) : (
        <p class="muted">{t('record.openVisitNoEntitlement')}</p>
      )}
      {/* Visits are not closed in the app yet, and a customer may bring a second car. */}
      <a class="button button-block" href={checkInHref}>
        {t('record.checkIn')}
      </a>
    </section>
  );
}
