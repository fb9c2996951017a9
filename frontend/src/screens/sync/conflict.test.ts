import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../lib/i18n';
import type { QueuedMutation, QueueFailure } from '../../lib/offline-queue';
import {
  actionLine,
  type Current,
  canReapply,
  customerOf,
  isConflict,
  mineRows,
  newVersionOf,
  refusalText,
  theirsRows,
} from './conflict';

afterEach(() => setLanguage('zh-CN', false));

const conflict: QueueFailure = {
  typename: 'ConflictError',
  message: 'Promise was changed by someone else (now version 2)',
  detail: { __typename: 'ConflictError', message: 'x', currentVersion: 2 },
  at: 0,
};

function queued(label: string, input: Record<string, unknown>, failure = conflict): QueuedMutation {
  return {
    seq: 1,
    clientMutationId: 'k1',
    label,
    source: '',
    variables: { input: { ...input, clientMutationId: 'k1' } },
    createdAt: 0,
    attempts: 1,
    status: 'failed',
    failure,
    subject: { type: 'Promise', id: 'P1', name: '原厂脚垫', customerName: '王芳' },
  };
}

const promiseNow: Current = {
  __typename: 'Promise',
  id: 'P1',
  description: '原厂脚垫',
  status: 'DEFERRED',
  deferredTo: '2026-12-01',
  evidenceNote: '客户同意延期',
  version: 3,
  updatedAt: '2026-11-23T03:00:00Z',
};

const taskNow: Current = {
  __typename: 'Task',
  id: 'T1',
  subject: 'x',
  kind: 'three_way_intro',
  state: 'DONE',
  outcome: 'held',
  note: '',
  completedAt: '2026-11-23T03:00:00Z',
  version: 2,
  assignee: { id: 'U1', displayName: '李娜' },
};

describe('a conflict', () => {
  it("names the customer of each queued change, and the action in the reader's language", () => {
    const promise = { type: 'Promise', id: 'P1', name: '原厂脚垫', customerName: '王芳' };
    const customer = { type: 'Customer', id: 'C1', name: '王芳', customerName: null };
    expect(customerOf(promise)).toBe('王芳');
    expect(customerOf(customer)).toBe('王芳');
    expect(customerOf(undefined)).toBeNull();
    expect(actionLine({ label: 'queue.kind.promiseStatus', subject: promise })).toBe('承诺状态：原厂脚垫');
    expect(actionLine({ label: 'queue.kind.checkIn', subject: customer })).toBe('到店登记');
    setLanguage('en');
    expect(actionLine({ label: 'queue.kind.checkIn', subject: customer })).toBe('Service check-in');
    setLanguage('zh-CN');
  });

  it('is a refusal for a stale version only', () => {
    expect(isConflict(queued('queue.kind.promiseStatus', {}))).toBe(true);
    const rule = { ...conflict, typename: 'RuleViolationError' };
    expect(isConflict(queued('queue.kind.promiseStatus', {}, rule))).toBe(false);
  });

  it('shows my queued status and note in the UI language', () => {
    const mine = queued('queue.kind.promiseStatus', { status: 'FULFILLED', note: '已装好', version: 1 });
    expect(mineRows(mine).map((r) => [r.label, r.value])).toEqual([
      ['状态', '已兑现'],
      ['备注', '已装好'],
    ]);
    setLanguage('en', false);
    expect(mineRows(mine).map((r) => r.value)).toEqual(['Fulfilled', '已装好']);
  });

  it('shows the current promise beside it, with the date it was deferred to', () => {
    setLanguage('en', false);
    const rows = theirsRows(promiseNow);
    expect(rows.map((r) => r.key)).toEqual(['status', 'deferredTo', 'note', 'changedAt']);
    expect(rows[0]?.value).toBe('Deferred');
    expect(rows[2]?.value).toBe('客户同意延期');
  });

  it('shows a task completion as done with its outcome, and who has the task now', () => {
    const mine = queued('queue.kind.completeTask', { outcome: 'held', note: '', version: 1 });
    expect(mineRows(mine).map((r) => r.value)).toEqual(['已完成', expect.any(String), '—']);
    const theirs = theirsRows(taskNow);
    expect(theirs.find((r) => r.key === 'assignee')?.value).toBe('李娜');
    expect(theirs[0]?.value).toBe('已完成');
  });

  it('can be re-applied only while theirs left the object open', () => {
    expect(canReapply(promiseNow)).toBe(true);
    expect(canReapply({ ...promiseNow, status: 'FULFILLED' })).toBe(false);
    expect(canReapply(taskNow)).toBe(false);
    if (taskNow.__typename !== 'Task') throw new Error('a task');
    expect(canReapply({ ...taskNow, state: 'OPEN' })).toBe(true);
  });

  it('shows the terms I edited beside the terms now', () => {
    setLanguage('en', false);
    const mine = queued('queue.kind.promiseTerms', { terms: { description: '全车贴膜' }, version: 1 });
    expect(mineRows(mine)).toEqual([{ key: 'description', label: 'Promise', value: '全车贴膜' }]);
    expect(theirsRows(promiseNow, mine.label)[0]).toEqual({
      key: 'description',
      label: 'Promise',
      value: '原厂脚垫',
    });
    expect(theirsRows(promiseNow).map((r) => r.key)).not.toContain('description');
  });

  it('is re-applied on the version just read, or the one the server named', () => {
    expect(newVersionOf(promiseNow, conflict)).toBe(3);
    expect(newVersionOf(null, conflict)).toBe(2);
    expect(newVersionOf(null, { ...conflict, detail: {} })).toBeNull();
  });
});

describe('refusalText', () => {
  it('never shows the server’s English message', () => {
    for (const typename of [
      'ConflictError',
      'RuleViolationError',
      'ValidationError',
      'NotFoundError',
      'ForbiddenError',
      'BAD_USER_INPUT',
    ]) {
      const text = refusalText({ ...conflict, typename, detail: {} });
      expect(text).not.toContain('changed by someone else');
      expect(text).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('words rule and field codes it knows, in the user’s language', () => {
    setLanguage('en', false);
    const rule: QueueFailure = {
      typename: 'RuleViolationError',
      message: 'task is closed',
      detail: { reasons: [{ code: 'task_closed', message: 'task is closed' }] },
      at: 0,
    };
    expect(refusalText(rule)).toBe('The task was already closed');
    const field: QueueFailure = {
      typename: 'ValidationError',
      message: 'x',
      detail: { fields: [{ path: 'input.checkedInAt', code: 'too_old', message: 'x' }] },
      at: 0,
    };
    expect(refusalText(field)).toContain('24 hours');
  });

  it('falls back to the kind of refusal for a code it does not know', () => {
    setLanguage('en', false);
    const rule: QueueFailure = {
      typename: 'RuleViolationError',
      message: 'Some English sentence',
      detail: { reasons: [{ code: 'brand_new_rule', message: 'Some English sentence' }] },
      at: 0,
    };
    expect(refusalText(rule)).toBe('The rules do not allow this change any more');
  });
});
