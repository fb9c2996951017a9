import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../lib/i18n';
import type { QueuedMutation } from '../../lib/offline-queue';
import { blockersFrom, blockingPromiseIds, handoverState, orderSubjects, pendingChangesFor } from './model';

const MATS = '全车脚垫与后备箱垫';

const order = {
  id: 'T3JkZXI6MQ==',
  checklistVersion: 2,
  promises: [
    { id: 'UHJvbWlzZTox', description: MATS, status: 'PENDING' as const },
    { id: 'UHJvbWlzZToy', description: '首保免费', status: 'PARTIALLY_FULFILLED' as const },
    { id: 'UHJvbWlzZToz', description: '贴膜', status: 'FULFILLED' as const },
  ],
};

const open = (subjectId: string) => ({ code: 'promise_open', message: `「x」 is still pending`, subjectId });
const unsigned = { code: 'checklist_unsigned', message: 'not signed', subjectId: order.id };

afterEach(() => setLanguage('zh-CN', false));

describe('blockersFrom: the server’s reasons, worded on the phone', () => {
  it('names each open promise from the list, in the order the server gives', () => {
    const blockers = blockersFrom([open('UHJvbWlzZToy'), open('UHJvbWlzZTox'), unsigned], order);
    expect(blockers.map((b) => b.text)).toEqual([
      '「首保免费」仍为部分兑现',
      `「${MATS}」仍为待兑现`,
      '客户尚未对清单第 2 版签字（延期或放弃需客户签字）',
    ]);
    expect(blockers.map((b) => b.promiseId)).toEqual(['UHJvbWlzZToy', 'UHJvbWlzZTox', undefined]);
    expect(new Set(blockers.map((b) => b.key)).size).toBe(3);
  });

  it('speaks the UI language, not the server’s message', () => {
    setLanguage('en', false);
    const blockers = blockersFrom([open('UHJvbWlzZTox'), unsigned], order);
    expect(blockers.map((b) => b.text)).toEqual([
      `“${MATS}”: Pending`,
      'The customer has not signed version 2 of the list (a deferral or waiver needs their signature)',
    ]);
  });

  it('shows only what the server lists: nothing is worked out on the phone', () => {
    // A pending promise and an unsigned list, yet the server says nothing blocks: it has the last word.
    expect(blockersFrom([], order)).toEqual([]);
    expect(blockersFrom([unsigned], order).map((b) => b.promiseId)).toEqual([undefined]);
  });

  it('words other reasons by their code, and the server’s message when it has no words for it', () => {
    const blockers = blockersFrom(
      [
        { code: 'not_submitted', message: 'the order is DRAFT', subjectId: order.id },
        { code: 'promise_open', message: 'gone from the list', subjectId: 'UHJvbWlzZTo5' },
        { code: 'something_new', message: 'a rule added later', subjectId: null },
      ],
      order,
    );
    expect(blockers.map((b) => b.text)).toEqual([
      '订单尚未提交，不能交车',
      '有交车时到期的承诺尚未处理',
      'a rule added later',
    ]);
    expect(blockers.every((b) => b.promiseId === undefined)).toBe(true);
  });
});

describe('blockingPromiseIds', () => {
  it('is the promises the server names as open', () => {
    expect([...blockingPromiseIds([open('UHJvbWlzZTox'), unsigned])]).toEqual(['UHJvbWlzZTox']);
    expect(blockingPromiseIds([]).size).toBe(0);
  });
});

describe('pendingChangesFor: what the server has not seen yet', () => {
  let seq = 0;
  const queued = (
    input: Record<string, unknown>,
    status: QueuedMutation['status'] = 'pending',
  ): QueuedMutation => {
    seq += 1;
    return {
      seq,
      clientMutationId: `k${seq}`,
      label: 'queue.kind.promiseStatus',
      source: 'mutation ChangePromiseStatus { x }',
      variables: { input: { ...input, clientMutationId: `k${seq}` } },
      createdAt: seq,
      attempts: 0,
      status,
    };
  };
  const subjects = orderSubjects(order);

  it('counts queued changes to the order or one of its promises', () => {
    const queue = [
      queued({ id: 'UHJvbWlzZTox', status: 'FULFILLED', version: 3 }),
      queued({ orderId: order.id, terms: {} }),
      queued({ promiseId: 'UHJvbWlzZToy', visitId: 'V1' }),
    ];
    expect(pendingChangesFor(queue, subjects)).toBe(3);
  });

  it('leaves out other records and changes the server already refused', () => {
    const queue = [
      queued({ id: 'VGFzazox', outcome: 'done' }),
      queued({ customerId: 'C1', orderId: 'T3JkZXI6Mg==' }),
      queued({ id: 'UHJvbWlzZTox', status: 'WAIVED' }, 'failed'),
    ];
    expect(pendingChangesFor(queue, subjects)).toBe(0);
  });
});

describe('handoverState: a pending promise never reads as done', () => {
  const blocking = new Set(['p1']);
  it('is open when the server names it or it is due at handover, later when due after it', () => {
    expect(handoverState({ id: 'p1', status: 'PENDING', due: 'BY_DATE' }, blocking)).toBe('open');
    expect(handoverState({ id: 'p2', status: 'PARTIALLY_FULFILLED', due: 'AT_HANDOVER' }, blocking)).toBe(
      'open',
    );
    expect(handoverState({ id: 'p3', status: 'PENDING', due: 'BY_DATE' }, blocking)).toBe('later');
    expect(handoverState({ id: 'p4', status: 'PENDING', due: 'ENTITLEMENT' }, blocking)).toBe('later');
  });
  it('is done only when fulfilled; deferred and waived say so', () => {
    expect(handoverState({ id: 'p5', status: 'FULFILLED', due: 'AT_HANDOVER' }, blocking)).toBe('done');
    expect(handoverState({ id: 'p6', status: 'DEFERRED', due: 'AT_HANDOVER' }, blocking)).toBe('deferred');
    expect(handoverState({ id: 'p7', status: 'WAIVED', due: 'ENTITLEMENT' }, blocking)).toBe('waived');
  });
});
