/**
 * What the sync screen says about a refused queued change, in the user's language: what it was
 * about, "mine" (the queued value) beside "theirs" (the object as the server has it now), and
 * why it was refused worded from the server's codes, never the server's English message.
 */
import { formatCalendarDate, formatDateTime } from '../../lib/format';
import type { ResultOfOp } from '../../lib/graphql';
import { type MessageKey, t } from '../../lib/i18n';
import type { QueuedMutation, QueueFailure, QueueSubject } from '../../lib/offline-queue';
import { type Failure, refusalText as sayRefusal } from '../../lib/refusal';
import type { QueuedSubjectQuery } from './operations';

export type Row = { key: string; label: string; value: string };
export type Current = NonNullable<ResultOfOp<typeof QueuedSubjectQuery>['node']>;

const EMPTY = '—';

function known(key: string): string | null {
  const text = t(key as MessageKey);
  return text === key ? null : text;
}

function text(value: unknown): string {
  return typeof value === 'string' && value.trim() ? value : EMPTY;
}

/** The customer a queued change is for, as the user saw them when queueing; null for old entries. */
export function customerOf(subject: QueueSubject | undefined): string | null {
  if (!subject) return null;
  return subject.customerName ?? (subject.type === 'Customer' ? subject.name : null);
}

/**
 * What was done, in the reader's language now, and to what: "完成任务：新车主欢迎回访",
 * "Check-in" (a change to the customer themself names no object beside them).
 */
export function actionLine(item: Pick<QueuedMutation, 'label' | 'subject'>): string {
  const action = t(item.label as MessageKey);
  const subject = item.subject;
  if (!subject || (subject.type === 'Customer' && !subject.customerName)) return action;
  return t('queue.action', { action, object: subject.name });
}

export function isConflict(item: QueuedMutation): boolean {
  return item.status === 'failed' && item.failure?.typename === 'ConflictError';
}

function promiseStatus(value: unknown): string {
  return typeof value === 'string' ? (known(`promise.status.${value}`) ?? value) : EMPTY;
}

function taskState(value: unknown): string {
  return typeof value === 'string' ? (known(`queue.taskState.${value}`) ?? value) : EMPTY;
}

function outcomeText(value: unknown): string {
  return typeof value === 'string' ? (known(`today.outcome.${value}`) ?? text(value)) : EMPTY;
}

/** The change waiting on this phone, field by field. */
export function mineRows(item: QueuedMutation): Row[] {
  const input = item.variables.input;
  if (item.label === 'queue.kind.promiseStatus') {
    const rows: Row[] = [
      { key: 'status', label: t('queue.field.status'), value: promiseStatus(input.status) },
    ];
    if (typeof input.deferredTo === 'string' && input.deferredTo) {
      rows.push({
        key: 'deferredTo',
        label: t('queue.field.deferredTo'),
        value: formatCalendarDate(input.deferredTo),
      });
    }
    rows.push({ key: 'note', label: t('queue.field.note'), value: text(input.note) });
    return rows;
  }
  if (item.label === 'queue.kind.promiseTerms') {
    const terms = (input.terms ?? {}) as { description?: unknown };
    return [{ key: 'description', label: t('queue.field.description'), value: text(terms.description) }];
  }
  if (item.label === 'queue.kind.completeTask') {
    return [
      { key: 'status', label: t('queue.field.status'), value: taskState('DONE') },
      { key: 'outcome', label: t('queue.field.outcome'), value: outcomeText(input.outcome) },
      { key: 'note', label: t('queue.field.note'), value: text(input.note) },
    ];
  }
  const note = input.note ?? input.complaint;
  return note === undefined ? [] : [{ key: 'note', label: t('queue.field.note'), value: text(note) }];
}

/** The object as the server has it now, in the same rows as `mineRows` where they match. */
export function theirsRows(current: Current, label?: string): Row[] {
  if (current.__typename === 'Promise') {
    const rows: Row[] = [
      { key: 'status', label: t('queue.field.status'), value: promiseStatus(current.status) },
    ];
    if (label === 'queue.kind.promiseTerms') {
      rows.unshift({ key: 'description', label: t('queue.field.description'), value: current.description });
    }
    if (current.deferredTo) {
      rows.push({
        key: 'deferredTo',
        label: t('queue.field.deferredTo'),
        value: formatCalendarDate(current.deferredTo),
      });
    }
    rows.push(
      { key: 'note', label: t('queue.field.note'), value: text(current.evidenceNote) },
      { key: 'changedAt', label: t('queue.field.changedAt'), value: formatDateTime(current.updatedAt) },
    );
    return rows;
  }
  if (current.__typename === 'Task') {
    const rows: Row[] = [
      { key: 'status', label: t('queue.field.status'), value: taskState(current.state) },
      { key: 'outcome', label: t('queue.field.outcome'), value: outcomeText(current.outcome) },
      { key: 'note', label: t('queue.field.note'), value: text(current.note) },
      { key: 'assignee', label: t('queue.field.assignee'), value: current.assignee.displayName },
    ];
    if (current.completedAt) {
      rows.push({
        key: 'changedAt',
        label: t('queue.field.changedAt'),
        value: formatDateTime(current.completedAt),
      });
    }
    return rows;
  }
  return [];
}

const FINAL_PROMISE: ReadonlySet<string> = new Set(['FULFILLED', 'WAIVED', 'CANCELLED']);

/**
 * Whether mine can still go on top of theirs: not once theirs closed the object (a fulfilled,
 * waived or cancelled promise, a task done or cancelled), which the server would refuse anyway.
 */
export function canReapply(current: Current): boolean {
  if (current.__typename === 'Promise') return !FINAL_PROMISE.has(current.status);
  if (current.__typename === 'Task') return current.state === 'OPEN';
  return false;
}

/** The version "re-apply mine" puts the change on: the one just read, else the server's word. */
export function newVersionOf(current: Current | null, failure: QueueFailure | undefined): number | null {
  if (current && 'version' in current && typeof current.version === 'number') return current.version;
  const detail = (failure?.detail ?? {}) as { currentVersion?: unknown };
  return typeof detail.currentVersion === 'number' ? detail.currentVersion : null;
}

type Detail = Pick<Failure, 'reasons' | 'fields'>;

/**
 * Why the server refused, from its codes: a field or rule code we have words for, else the
 * kind of refusal. A queued change is refused long after it was made: the server's words may be
 * in another language by now, so they are not shown.
 */
export function refusalText(failure: QueueFailure): string {
  const detail = (failure.detail ?? {}) as Detail;
  return sayRefusal(
    { __typename: failure.typename, reasons: detail.reasons, fields: detail.fields },
    {
      reasons: 'checklist.reason',
      fields: 'checklist.field',
      otherwise: known(`queue.refusal.${failure.typename}`) ?? t('queue.refusal.other'),
    },
  );
}
