/** The customer record (客户360): who they are, what they are owed, their cars and history. */

import type { ComponentChildren } from 'preact';
import { useLocation, useRoute } from 'preact-iso';
import { useSignedInUser } from '../../app/session';
import { useCachedQuery } from '../../app/useCachedQuery';
import { can } from '../../lib/abilities';
import '../desk.css';
import { formatCalendarDate, formatDateTime, storeDayKey } from '../../lib/format';
import { type MessageKey, t } from '../../lib/i18n';
import { formatPhone } from '../../lib/phone';
import { orderPath } from '../checklist/links';
import { LearningArchive } from '../learning/Learning';
import { Badges } from './Badges';
import { ErrorNotice } from './ErrorNotice';
import { handoverInMainAction, MainAction } from './MainAction';
import { OpenPromises } from './OpenPromises';
import { type CustomerRecord, CustomerRecordQuery, customerKey, customerRecordVariables } from './operations';
import { Timeline } from './Timeline';

/** The record through the device's copy when offline; shared by the record and check-in. */
export function useCustomerRecord(id: string) {
  return useCachedQuery(customerKey(id), CustomerRecordQuery, customerRecordVariables(id));
}

export function Record() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const user = useSignedInUser();
  const record = useCustomerRecord(id);

  if (record.status === 'loading') return <p class="muted">{t('record.loading')}</p>;
  if (record.status === 'error') return <ErrorNotice error={record.error} onRetry={record.refetch} />;
  const customer = record.data.customer;
  if (!customer) return <p class="notice">{t('record.notFound')}</p>;

  return (
    <article class="screen record" aria-labelledby="record-name">
      <BackButton />
      <RecordHeader customer={customer} />
      <MainAction customer={customer} user={user} onChanged={record.refetch} />
      <a
        class="button button-block"
        href={`/customers/${encodeURIComponent(id)}/raise-case`}
        data-testid="raise-case"
      >
        {t('record.raiseCase')}
      </a>
      <Section id="promises" title={t('record.openPromises')} prominent={customer.openPromises.length > 0}>
        <OpenPromises promises={customer.openPromises} />
      </Section>
      <Section id="learning" title={t('learning.title')}>
        <LearningArchive customer={customer} mayTeach={can(user, 'RECORD_TEACHING')} />
      </Section>
      <Section id="vehicles" title={t('record.vehicles')}>
        <Vehicles vehicles={customer.vehicles} />
      </Section>
      <Section id="orders" title={t('record.orders')}>
        <Orders
          orders={customer.orders}
          customerId={id}
          mayHandover={can(user, 'COMPLETE_HANDOVER')}
          handoverAbove={handoverInMainAction(customer, user)?.id ?? null}
        />
      </Section>
      <Section id="deliveries" title={t('record.deliveries')}>
        <Deliveries deliveries={customer.deliveries} />
      </Section>
      <Section id="visits" title={t('record.visits')}>
        <Visits visits={customer.serviceVisits} />
      </Section>
      <Section id="timeline" title={t('record.timeline')}>
        <Timeline customerId={customer.id} first={customer.timeline} />
      </Section>
    </article>
  );
}

/** Standalone PWAs have no browser back button: this is it. */
export function BackButton({ fallback = '/search' }: { fallback?: string }) {
  const location = useLocation();
  return (
    <button
      type="button"
      class="button back-button"
      onClick={() => (history.length > 1 ? history.back() : location.route(fallback))}
    >
      <span aria-hidden="true">‹</span> {t('app.back')}
    </button>
  );
}

function Section({
  id,
  title,
  prominent = false,
  children,
}: {
  id: string;
  title: string;
  prominent?: boolean;
  children: ComponentChildren;
}) {
  return (
    <section
      class={`record-section${prominent ? ' record-section-prominent' : ''}`}
      aria-labelledby={`${id}-title`}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

/** Active today in the store's calendar: started, and not yet ended. */
export function isActive(circumstance: { startsOn: string; endsOn?: string | null }, today: string): boolean {
  return circumstance.startsOn <= today && (!circumstance.endsOn || circumstance.endsOn >= today);
}

function RecordHeader({ customer }: { customer: CustomerRecord }) {
  const today = storeDayKey(new Date());
  const active = customer.specialCircumstances.filter((c) => isActive(c, today));
  const phone = formatPhone(customer.phone);
  return (
    <header class="record-header">
      <h1 id="record-name">{customer.name}</h1>
      <Badges tags={customer.tags} highPriority={customer.isHighPriority} />
      <a class="phone-link" href={`tel:${customer.phone}`} aria-label={t('record.call', { phone })}>
        <span aria-hidden="true">☎</span> {phone}
      </a>
      {customer.address && <p class="muted">{customer.address}</p>}
      {active.map((circumstance) => {
        const kindKey: MessageKey = `circumstance.${circumstance.kind}`;
        return (
          <p key={circumstance.id} class="circumstance">
            <strong>{t(kindKey)}</strong>
            {circumstance.endsOn &&
              ` ${t('record.circumstanceUntil', { date: formatCalendarDate(circumstance.endsOn) })}`}
            {circumstance.note && <span class="circumstance-note">{circumstance.note}</span>}
          </p>
        );
      })}
    </header>
  );
}

function Vehicles({ vehicles }: { vehicles: CustomerRecord['vehicles'] }) {
  if (vehicles.length === 0) return <p class="muted">{t('record.noVehicles')}</p>;
  return (
    <ul class="card-list">
      {vehicles.map((vehicle) => (
        <li key={vehicle.id} class="card">
          <p class="card-title">{vehicle.modelName}</p>
          <dl class="facts">
            <dt>{t('record.plate')}</dt>
            <dd class="plate">{vehicle.plate ?? t('record.noPlate')}</dd>
            <dt>{t('record.vin')}</dt>
            <dd class="vin">{vehicle.vin}</dd>
          </dl>
        </li>
      ))}
    </ul>
  );
}

function Orders({
  orders,
  customerId,
  mayHandover,
  handoverAbove,
}: {
  orders: CustomerRecord['orders'];
  customerId: string;
  mayHandover: boolean;
  /** Offered as the record's main action already: not repeated here. */
  handoverAbove: string | null;
}) {
  if (orders.length === 0) return <p class="muted">{t('record.noOrders')}</p>;
  return (
    <ul class="card-list">
      {orders.map((order) => {
        const statusKey: MessageKey = `order.status.${order.status}`;
        return (
          <li key={order.id} class="card">
            <p class="card-title">
              {order.modelName} <span class="pill">{t(statusKey)}</span>
            </p>
            {order.plannedDeliveryDate && order.status !== 'DELIVERED' && (
              <p class="muted">
                {t('record.plannedDelivery', { date: formatCalendarDate(order.plannedDeliveryDate) })}
              </p>
            )}
            <div class="button-row">
              <a class="button" href={orderPath(customerId, order.id, 'checklist')}>
                {t('checklist.title')}
              </a>
              {mayHandover && order.status === 'SUBMITTED' && order.id !== handoverAbove && (
                <a class="button button-primary" href={orderPath(customerId, order.id, 'handover')}>
                  {t('checklist.handoverMode')}
                </a>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}

function Deliveries({ deliveries }: { deliveries: CustomerRecord['deliveries'] }) {
  if (deliveries.length === 0) return <p class="muted">{t('record.noDeliveries')}</p>;
  return (
    <ul class="card-list">
      {deliveries.map((delivery) => {
        const statusKey: MessageKey = `delivery.status.${delivery.status}`;
        const when = delivery.completedAt ?? delivery.scheduledAt;
        return (
          <li key={delivery.id} class="card">
            <p class="card-title">
              {delivery.order.modelName} <span class="pill">{t(statusKey)}</span>
            </p>
            {when && <p class="muted">{formatDateTime(when)}</p>}
          </li>
        );
      })}
    </ul>
  );
}

function Visits({ visits }: { visits: CustomerRecord['serviceVisits'] }) {
  if (visits.length === 0) return <p class="muted">{t('record.noVisits')}</p>;
  return (
    <ul class="card-list" data-testid="visits">
      {visits.map((visit) => {
        const statusKey: MessageKey = `visit.status.${visit.status}`;
        return (
          <li key={visit.id} class="card">
            <p class="card-title">
              {visit.complaint || t('record.noComplaint')} <span class="pill">{t(statusKey)}</span>
            </p>
            <p class="muted">
              {formatDateTime(visit.checkedInAt)}
              {visit.mileageKm !== null &&
                visit.mileageKm !== undefined &&
                ` · ${t('record.mileage', { km: visit.mileageKm.toLocaleString() })}`}
              {visit.vehicle?.plate && (
                <>
                  {' · '}
                  <span class="nowrap">{visit.vehicle.plate}</span>
                </>
              )}
            </p>
            <p class="muted">{t('record.advisor', { name: visit.advisor.displayName })}</p>
          </li>
        );
      })}
    </ul>
  );
}
