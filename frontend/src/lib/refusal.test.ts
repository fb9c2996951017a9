import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from './i18n';
import { refusalLines, refusalText } from './refusal';

afterEach(() => setLanguage('zh-CN', false));

describe('refusalText', () => {
  it('shows the server’s words, one line per reason, as they come', () => {
    const refused = {
      __typename: 'RuleViolationError',
      message: '该时段车辆已被预约；一次预约最长 8 小时',
      reasons: [
        { code: 'overlap', message: '该时段车辆已被预约' },
        { code: 'too_long', message: '一次预约最长 8 小时' },
      ],
    };
    expect(refusalLines(refused)).toEqual(['该时段车辆已被预约', '一次预约最长 8 小时']);
    expect(refusalText(refused)).toBe('该时段车辆已被预约；一次预约最长 8 小时');
  });

  it('prefers the screen’s own words for a code or a kind of refusal', () => {
    setLanguage('en', false);
    const rule = { __typename: 'RuleViolationError', reasons: [{ code: 'task_closed', message: 'x' }] };
    expect(refusalText(rule, { reasons: 'checklist.reason' })).toBe('The task was already closed');
    const forbidden = { __typename: 'ForbiddenError', message: 'your role may not' };
    expect(refusalText(forbidden)).toBe('your role may not');
    expect(refusalText(forbidden, { types: { ForbiddenError: 'cases.forbidden' } })).not.toBe(
      'your role may not',
    );
  });

  it('words field problems, and a refusal read later only from its codes', () => {
    const field = {
      __typename: 'ValidationError',
      fields: [{ path: 'input.note', code: 'x', message: '最多 500 个字' }],
    };
    expect(refusalText(field)).toBe('最多 500 个字');
    expect(refusalText(field, { fields: 'checklist.field', otherwise: '其他' })).toBe('其他');
  });
});
