import { beforeEach, describe, expect, it } from 'vitest';
import {
  dueState,
  formatAgo,
  formatAsOf,
  formatCalendarDate,
  formatDate,
  formatDateTime,
  formatDue,
  formatDueRelative,
  formatTime,
  getStoreTimeZone,
  isSameStoreDay,
  setStoreTimeZone,
  storeDayKey,
} from './format';

// 06:05 UTC is 14:05 in Shanghai (UTC+8, no daylight saving).
const instant = '2024-03-05T06:05:00Z';
const zh = { language: 'zh-CN' as const };
const en = { language: 'en' as const };

// The zone the server sent with the signed-in user (me.timeZone), here a Shanghai store's.
const SERVER_ZONE = 'Asia/Shanghai';
const deviceZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;

beforeEach(() => setStoreTimeZone(SERVER_ZONE));

describe('store time zone', () => {
  it('reads times in the zone the server sent', () => {
    expect(getStoreTimeZone()).toBe('Asia/Shanghai');
    expect(formatTime(instant, zh)).toBe('14:05');
  });

  it('assumes no zone of its own: before the server says, the device zone', () => {
    setStoreTimeZone(undefined);
    expect(getStoreTimeZone()).toBe(deviceZone);
  });

  it('follows the store, not the device', () => {
    setStoreTimeZone('Asia/Urumqi');
    expect(formatTime(instant, zh)).toBe('12:05');
    setStoreTimeZone('Europe/Berlin');
    expect(formatTime(instant, zh)).toBe('07:05');
  });

  it('ignores an unknown zone', () => {
    setStoreTimeZone('Mars/Olympus');
    expect(getStoreTimeZone()).toBe(deviceZone);
  });

  it('uses a 24-hour clock in both languages', () => {
    expect(formatTime('2024-03-05T15:30:00Z', zh)).toBe('23:30');
    expect(formatTime('2024-03-05T15:30:00Z', en)).toBe('23:30');
    expect(formatTime('2024-03-05T16:00:00Z', en)).toBe('00:00');
  });
});

describe('days', () => {
  it('puts a late UTC evening on the next Shanghai day', () => {
    expect(storeDayKey('2024-03-05T17:00:00Z')).toBe('2024-03-06');
    expect(storeDayKey('2024-03-05T15:59:59Z')).toBe('2024-03-05');
    expect(isSameStoreDay('2024-03-05T16:00:00Z', '2024-03-06T15:00:00Z')).toBe(true);
    expect(isSameStoreDay('2024-03-05T15:00:00Z', '2024-03-05T17:00:00Z')).toBe(false);
  });

  it('formats dates in the chosen language, with the year only when it differs', () => {
    const now = '2024-06-01T00:00:00Z';
    expect(formatDate(instant, zh, now)).toBe('3月5日周二');
    expect(formatDate(instant, en, now)).toBe('Tue, Mar 5');
    expect(formatDate('2023-12-31T10:00:00Z', zh, now)).toBe('2023年12月31日');
    // 2024-01-01 04:00 in Shanghai is already the current year there.
    expect(formatDate('2023-12-31T20:00:00Z', zh, now)).toBe('1月1日周一');
    expect(formatDate('2022-07-01T00:00:00Z', en, now)).toBe('Jul 1, 2022');
    expect(formatDateTime(instant, zh, now)).toBe('3月5日周二 14:05');
  });

  it('shows only the time for data fetched today, else the date too', () => {
    expect(formatAsOf(instant, zh, '2024-03-05T10:00:00Z')).toBe('14:05');
    expect(formatAsOf(instant, zh, '2024-03-06T10:00:00Z')).toBe('3月5日周二 14:05');
  });

  it('shows a calendar date as written, whatever the store zone', () => {
    setStoreTimeZone('America/Los_Angeles');
    const now = '2026-11-23T00:00:00Z';
    expect(formatCalendarDate('2026-12-03', zh, now)).toBe('12月3日周四');
    expect(formatCalendarDate('2026-12-03', en, now)).toBe('Thu, Dec 3');
    expect(formatCalendarDate('2027-01-05', en, now)).toBe('Jan 5, 2027');
  });
});

describe('deadlines and moments, relative to now', () => {
  // A number, its unit and its "in" / "late" never break apart on a narrow card ("2 / 天后").
  // 14:05 in Shanghai.
  const now = instant;
  const at = (minutes: number) => new Date(Date.parse(now) + minutes * 60_000);

  it('words a deadline ahead in whole units', () => {
    expect(formatDueRelative(at(45), zh, now)).toBe('45\u00a0分钟后');
    expect(formatDueRelative(at(125), zh, now)).toBe('2\u00a0小时后');
    expect(formatDueRelative(at(125), en, now)).toBe('in\u00a02\u00a0h');
    expect(formatDueRelative(at(3 * 24 * 60 + 5), en, now)).toBe('in\u00a03\u00a0days');
    expect(formatDueRelative(at(24 * 60 + 5), en, now)).toBe('in\u00a01\u00a0day');
  });

  it('calls a task a few minutes past "due now", not overdue', () => {
    expect(dueState(at(-2), now)).toBe('dueNow');
    expect(dueState(at(-30), now)).toBe('dueNow');
    expect(formatDueRelative(at(-2), zh, now)).toBe('刚到期');
    expect(formatDueRelative(at(-2), en, now)).toBe('due\u00a0now');
  });

  it('calls it overdue past the grace, with how late it is', () => {
    expect(dueState(at(-31), now)).toBe('overdue');
    expect(formatDueRelative(at(-90), zh, now)).toBe('逾期\u00a01\u00a0小时');
    expect(formatDueRelative(at(-3 * 24 * 60), zh, now)).toBe('逾期\u00a03\u00a0天');
    expect(formatDueRelative(at(-3 * 24 * 60), en, now)).toBe('3\u00a0days\u00a0late');
  });

  it('tells today from later in the store zone', () => {
    // 23:55 in Shanghai is still today; 00:05 is tomorrow, though UTC has not turned.
    expect(dueState('2024-03-05T15:55:00Z', now)).toBe('today');
    expect(dueState('2024-03-05T16:05:00Z', now)).toBe('later');
  });

  it('shows the clock time with the relative time, the date only when not today', () => {
    expect(formatDue(at(125), zh, now)).toBe('截止 16:10 · 2\u00a0小时后');
    expect(formatDue(at(-3 * 24 * 60), en, now)).toBe('Due Sat, Mar 2 14:05 · 3\u00a0days\u00a0late');
  });

  it('words a moment past as ago today, as a date before', () => {
    expect(formatAgo(at(-0.5), zh, now)).toBe('刚刚');
    expect(formatAgo(at(-5), zh, now)).toBe('5\u00a0分钟前');
    expect(formatAgo(at(-125), en, now)).toBe('2\u00a0h\u00a0ago');
    expect(formatAgo(at(-24 * 60), zh, now)).toBe('3月4日周一 14:05');
  });
});
