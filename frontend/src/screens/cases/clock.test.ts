import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../lib/i18n';
import { escalationClock, openCases } from './clock';

const now = new Date('2026-11-23T02:00:00Z'); // 10:00 in Shanghai

afterEach(() => setLanguage('zh-CN', false));

describe('escalation clock', () => {
  it('says when an open case rises and to which level', () => {
    setLanguage('en', false);
    const clock = escalationClock({ state: 'OPEN', level: 1, levelDueAt: '2026-11-23T07:20:00Z' }, now);
    expect(clock.tone).toBe('calm');
    expect(clock.text).toContain('Rises to level 2 in 5 h 20 min');
  });

  it('is urgent in the last four hours and when the deadline has passed', () => {
    expect(escalationClock({ state: 'OPEN', level: 2, levelDueAt: '2026-11-23T03:00:00Z' }, now).tone).toBe(
      'soon',
    );
    const late = escalationClock({ state: 'OPEN', level: 2, levelDueAt: '2026-11-23T01:00:00Z' }, now);
    expect(late).toEqual({ tone: 'late', text: '正在升至第 3 级' });
  });

  it('stops at the regional director and once closed', () => {
    expect(escalationClock({ state: 'OPEN', level: 3, levelDueAt: null }, now).tone).toBe('top');
    expect(escalationClock({ state: 'CLOSED', level: 2, levelDueAt: null }, now).tone).toBe('done');
  });
});

describe('open cases', () => {
  it("leaves closed cases out and keeps the server's most-urgent-first order", () => {
    const cases = [
      { id: 'director', state: 'OPEN', level: 3, levelDueAt: null },
      { id: 'soon', state: 'OPEN', level: 1, levelDueAt: '2026-11-23T03:00:00Z' },
      { id: 'closed', state: 'CLOSED', level: 3, levelDueAt: null },
    ];
    expect(openCases(cases).map((c) => c.id)).toEqual(['director', 'soon']);
    expect(cases).toHaveLength(3);
  });
});
