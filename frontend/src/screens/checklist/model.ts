/**
 * What the checklist, signature and handover screens share: the order, its promises, and the
 * server's answers about them (what blocks the handover is the server's rule, read, not redone).
 */

import { useEffect, useRef, useState } from 'preact/hooks';
import { useCachedQuery } from '../../app/useCachedQuery';
import { formatCalendarDate, storeDayKey } from '../../lib/format';
import type { ResultOfOp } from '../../lib/graphql';
import { type MessageKey, t } from '../../lib/i18n';
import { listQueue, type QueuedMutation, type QueueFailure, subscribeQueue } from '../../lib/offline-queue';
import { type Failure, refusalText } from '../../lib/refusal';
import { promiseSettled } from '../../lib/rules';
import { refusalText as queuedRefusalText } from '../sync/conflict';
import { OrderChecklistQuery, orderKey } from './operations';

export { orderPath } from './links';

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

export function isSettled(promise: ChecklistPromise): boolean {
  return promiseSettled(promise);
}

/** A reason the server gives: Order.handoverBlockers, or the reasons of a RuleViolationError. */
export type RuleReason = { code: string; message: string; subjectId?: string | null };

export type Blocker = { key: string; text: string; promiseId?: string };

/**
 * The server's reasons in the user's language: an open promise is named from the order's list
 * (its subjectId is the promise's ID), the unsigned list by its version, anything else by code.
 */
export function blockersFrom(
  reasons: readonly RuleReason[],
  order: {
    checklistVersion: number;
    promises: readonly Pick<ChecklistPromise, 'id' | 'description' | 'status'>[];
  },
): Blocker[] {
  return reasons.map((reason, index) => {
    const key = `${reason.code}:${reason.subjectId ?? index}`;
    const promise =
      reason.code === 'promise_open' ? order.promises.find((p) => p.id === reason.subjectId) : undefined;
    if (promise) {
      return {
        key,
        promiseId: promise.id,
        text: t('handover.blocker.promise', {
          description: promise.description,
          status: t(`promise.status.${promise.status}` as MessageKey),
        }),
      };
    }
    if (reason.code === 'checklist_unsigned') {
      return { key, text: t('handover.blocker.unsigned', { version: order.checklistVersion }) };
    }
    return { key, text: reasonText(reason.code, reason.message) };
  });
}

/** The promises the server names as still open at handover. */
export function blockingPromiseIds(reasons: readonly RuleReason[]): ReadonlySet<string> {
  const ids = new Set<string>();
  for (const reason of reasons) {
    if (reason.code === 'promise_open' && reason.subjectId) ids.add(reason.subjectId);
  }
  return ids;
}

/** The order and its promises: what a queued change may name in its input. */
export function orderSubjects(order: {
  id: string;
  promises: readonly { id: string }[];
}): ReadonlySet<string> {
  return new Set([order.id, ...order.promises.map((p) => p.id)]);
}

/** Changes still waiting on this device to be sent that touch the order or one of its promises. */
export function pendingChangesFor(queue: readonly QueuedMutation[], subjects: ReadonlySet<string>): number {
  return queue.filter((item) => {
    if (item.status !== 'pending') return false;
    const { id, orderId, promiseId } = item.variables.input;
    return [id, orderId, promiseId].some((value) => typeof value === 'string' && subjects.has(value));
  }).length;
}

/**
 * How many changes to this order are queued on the device. While any is, what the server said
 * blocks the handover is what it saw before them; `onSent` runs when some leave the queue, so the
 * screen can ask again.
 */
export function usePendingChanges(
  order: Parameters<typeof orderSubjects>[0] | null,
  onSent: () => void,
): number {
  const [count, setCount] = useState(0);
  const sent = useRef(onSent);
  sent.current = onSent;
  const subjectsKey = order ? [...orderSubjects(order)].join('\n') : '';
  useEffect(() => {
    if (!subjectsKey) return;
    const subjects: ReadonlySet<string> = new Set(subjectsKey.split('\n'));
    let alive = true;
    let last: number | null = null;
    const refresh = () => {
      listQueue().then(
        (queue) => {
          if (!alive) return;
          const next = pendingChangesFor(queue, subjects);
          if (last !== null && next < last) sent.current();
          last = next;
          setCount(next);
        },
        () => undefined,
      );
    };
    refresh();
    const unsubscribe = subscribeQueue(refresh);
    return () => {
      alive = false;
      unsubscribe();
    };
  }, [subjectsKey]);
  return subjectsKey ? count : 0;
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

/**
 * Where a promise stands at the handover, read at a glance: done, open (due now and blocking),
 * due later (a date after the handover, or an entitlement's uses), deferred, or waived. Pending
 * is never "done": only a fulfilled promise is.
 */
export type HandoverState = 'done' | 'open' | 'later' | 'deferred' | 'waived';

export function handoverState(
  promise: Pick<ChecklistPromise, 'id' | 'status' | 'due'>,
  blocking: ReadonlySet<string>,
): HandoverState {
  switch (promise.status) {
    case 'FULFILLED':
      return 'done';
    case 'DEFERRED':
      return 'deferred';
    case 'WAIVED':
    case 'CANCELLED':
      return 'waived';
    default:
      return blocking.has(promise.id) || promise.due === 'AT_HANDOVER' ? 'open' : 'later';
  }
}

/** The cue beside the colour, so a state never rests on colour alone. */
export const HANDOVER_STATE_GLYPH: Record<HandoverState, string> = {
  done: '✓',
  open: '!',
  later: '○',
  deferred: '→',
  waived: '–',
};

/** "YYYY-MM-DD" of tomorrow in the store's calendar: the earliest date a deferral may name. */
export function tomorrowKey(now: Date = new Date()): string {
  const [y, m, d] = storeDayKey(now).split('-').map(Number);
  const next = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + 1));
  return next.toISOString().slice(0, 10);
}

/** A refusal in the user's language: this screen's words where it has them, else the server's. */
export function failureText(failure: Failure): string {
  return refusalText(failure, {
    types: {
      ConflictError: 'checklist.error.conflict',
      ForbiddenError: 'checklist.error.forbidden',
      NotFoundError: 'checklist.error.notFound',
    },
    fields: 'checklist.field',
    reasons: 'checklist.reason',
  });
}

const NAMED_REFUSALS: ReadonlySet<string> = new Set(['ConflictError', 'ForbiddenError', 'NotFoundError']);

/**
 * A queued change the server refused, in the user's language: as `failureText` words the
 * refusals it names, otherwise from the codes (never the server's English message).
 */
export function queueFailureText(failure: QueueFailure): string {
  if (!NAMED_REFUSALS.has(failure.typename)) return queuedRefusalText(failure);
  const detail = (failure.detail ?? {}) as Record<string, unknown>;
  return failureText({ ...detail, __typename: failure.typename, message: failure.message });
}

export function reasonText(code: string, message: string): string {
  const key = `checklist.reason.${code}` as MessageKey;
  const text = t(key);
  return text === key ? message : text;
}
