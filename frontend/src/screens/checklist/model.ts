/** What the checklist, signature and handover screens share: the order, its promises, the rules. */
import type { SessionUser } from '../../app/session';
import { useCachedQuery } from '../../app/useCachedQuery';
import { formatCalendarDate, storeDayKey } from '../../lib/format';
import type { ResultOfOp } from '../../lib/graphql';
import { type MessageKey, t } from '../../lib/i18n';
import type { QueueFailure } from '../../lib/offline-queue';
import { OrderChecklistQuery, orderKey } from './operations';

export { canCompleteHandover, orderPath } from './links';

type QueryResult = ResultOfOp<typeof OrderChecklistQuery>;
export type ChecklistOrder = Extract<NonNullable<QueryResult['order']>, { __typename: 'Order' }>;
export type ChecklistPromise = ChecklistOrder['promises'][number];
export type SignedVersion = ChecklistOrder['signatures'][number];
export type PromiseStatus = ChecklistPromise['status'];

export function useOrderChecklist(customerId: string, orderId: string) {
  const query = useCachedQuery(orderKey(orderId), OrderChecklistQuery, { customerId, orderId });
  const order =
    query.status === 'ready' && query.data.order?.__typename === 'Order' ? query.data.order : null;
  const customer = query.status === 'ready' ? query.data.customer : null;
  return { query, order, customer };
}

/** Promises on the list the customer signs (cancelled ones are no longer part of it). */
export function listed(order: ChecklistOrder): ChecklistPromise[] {
  return order.promises.filter((p) => p.status !== 'CANCELLED');
}

const OPEN_AT_HANDOVER: ReadonlySet<PromiseStatus> = new Set(['PENDING', 'PARTIALLY_FULFILLED']);
const SETTLED: ReadonlySet<PromiseStatus> = new Set(['FULFILLED', 'WAIVED', 'CANCELLED']);

/** Mirrors handover_refusals on the server: due at handover and still pending or partial. */
export function isOpenAtHandover(promise: ChecklistPromise): boolean {
  return promise.due === 'AT_HANDOVER' && OPEN_AT_HANDOVER.has(promise.status);
}

export function isSettled(promise: ChecklistPromise): boolean {
  return SETTLED.has(promise.status);
}

export type Blocker = { key: string; text: string; promiseId?: string };

/** Everything that stops the handover now, worked out on the phone before asking the server. */
export function handoverBlockers(order: ChecklistOrder): Blocker[] {
  const blockers: Blocker[] = order.promises.filter(isOpenAtHandover).map((p) => ({
    key: p.id,
    promiseId: p.id,
    text: t('handover.blocker.promise', {
      description: p.description,
      status: t(`promise.status.${p.status}` as MessageKey),
    }),
  }));
  if (!order.currentSignature) {
    blockers.push({
      key: 'unsigned',
      text: t('handover.blocker.unsigned', { version: order.checklistVersion }),
    });
  }
  return blockers;
}

/** When it is due: at handover, by a date (or the date it was deferred to), or uses left. */
export function dueText(promise: {
  due: ChecklistPromise['due'];
  dueOn?: string | null;
  deferredTo?: string | null;
  entitlementTotal?: number | null;
  entitlementValidUntil?: string | null;
}): string {
  if (promise.due === 'ENTITLEMENT') {
    const total = promise.entitlementTotal ?? 0;
    const years = promise.entitlementValidUntil
      ? t('checklist.due.until', { date: formatCalendarDate(promise.entitlementValidUntil) })
      : '';
    const head = t('checklist.due.entitlement', { total });
    return years ? `${head} · ${years}` : head;
  }
  const base =
    promise.due === 'BY_DATE' && promise.dueOn
      ? t('checklist.due.byDate', { date: formatCalendarDate(promise.dueOn) })
      : t('checklist.due.atHandover');
  return promise.deferredTo
    ? `${base} · ${t('checklist.due.deferredTo', { date: formatCalendarDate(promise.deferredTo) })}`
    : base;
}

export function statusTone(status: PromiseStatus): string {
  switch (status) {
    case 'FULFILLED':
      return 'done';
    case 'PENDING':
    case 'PARTIALLY_FULFILLED':
      return 'open';
    case 'DEFERRED':
      return 'deferred';
    default:
      return 'closed';
  }
}

/** "YYYY-MM-DD" of tomorrow in the store's calendar: the earliest date a deferral may name. */
export function tomorrowKey(now: Date = new Date()): string {
  const [y, m, d] = storeDayKey(now).split('-').map(Number);
  const next = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + 1));
  return next.toISOString().slice(0, 10);
}

// Mirrors Action.* in backend/baton/domain/access.py; the server checks again.
export function canEditTerms(user: SessionUser): boolean {
  return ['SALES_CONSULTANT', 'STORE_MANAGER', 'ADMIN'].includes(user.role);
}

export function canMarkStatus(user: SessionUser): boolean {
  return ['SALES_CONSULTANT', 'DELIVERY_SPECIALIST', 'SERVICE_ADVISOR', 'STORE_MANAGER', 'ADMIN'].includes(
    user.role,
  );
}

export function canCollectSignature(user: SessionUser): boolean {
  return ['SALES_CONSULTANT', 'DELIVERY_SPECIALIST', 'STORE_MANAGER', 'ADMIN'].includes(user.role);
}

type Failure = {
  __typename: string;
  message: string;
  fields?: ReadonlyArray<{ path: string; message: string; code: string }>;
  reasons?: ReadonlyArray<{ code: string; message: string; subjectId?: string | null }>;
  currentVersion?: number | null;
};

/** A refusal in the user's language where we know the code; the server's words otherwise. */
export function failureText(failure: Failure): string {
  if (failure.__typename === 'ConflictError') return t('checklist.error.conflict');
  if (failure.__typename === 'ForbiddenError') return t('checklist.error.forbidden');
  if (failure.__typename === 'NotFoundError') return t('checklist.error.notFound');
  if (failure.fields && failure.fields.length > 0) {
    return failure.fields.map((f) => fieldText(f.code, f.message)).join('；');
  }
  if (failure.reasons && failure.reasons.length > 0) {
    return failure.reasons.map((r) => reasonText(r.code, r.message)).join('；');
  }
  return failure.message;
}

function fieldText(code: string, message: string): string {
  const key = `checklist.field.${code}` as MessageKey;
  const text = t(key);
  return text === key ? message : text;
}

/** A queued change the server refused, as `failureText` words it. */
export function queueFailureText(failure: QueueFailure): string {
  const detail = (failure.detail ?? {}) as Record<string, unknown>;
  return failureText({ ...detail, __typename: failure.typename, message: failure.message });
}

export function reasonText(code: string, message: string): string {
  const key = `checklist.reason.${code}` as MessageKey;
  const text = t(key);
  return text === key ? message : text;
}
