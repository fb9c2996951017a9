import { beforeAll, describe, expect, it } from 'vitest';
import { setStoreTimeZone } from '../../lib/format';
import { alertBody } from '../inbox/Inbox';
import { groupByDue } from './Today';

const now = new Date('2024-03-05T06:05:00Z'); // 14:05 in Shanghai
// The zone the server sent with the signed-in user (me.timeZone).
beforeAll(() => setStoreTimeZone('Asia/Shanghai'));
const minutes = (n: number) => new Date(now.getTime() + n * 60_000).toISOString();

function task(id: string, dueAt: string) {
  return {
    id,
    kind: 'welcome_callback',
    subject: '',
    dueAt,
    version: 1,
    details: [],
    customer: null,
  };
}

describe('Today groups by what needs doing now', () => {
  it('keeps a task two minutes late out of overdue, and a long-late one in it', () => {
    const grouped = groupByDue(
      {
        overdue: [task('late', minutes(-90)), task('just', minutes(-2))],
        today: [task('soon', minutes(60))],
        upcoming: [task('tomorrow', minutes(24 * 60))],
      },
      now,
    );
    expect(grouped.overdue.map((t) => t.id)).toEqual(['late']);
    expect(grouped.today.map((t) => t.id)).toEqual(['just', 'soon']);
    expect(grouped.upcoming.map((t) => t.id)).toEqual(['tomorrow']);
  });

  it('words a task alert in the inbox like the Today card', () => {
    const alert = { kind: 'TASK_OVERDUE' as const, body: '截止 12月2日 05:28', taskDueAt: minutes(-2) };
    expect(alertBody(alert, now)).toMatch(/^(截止 14:03 · 刚到期|Due 14:03 · due\u00a0now)$/);
    expect(alertBody({ ...alert, kind: 'CUSTOMER_HERE' as const }, now)).toBe(alert.body);
  });
});
