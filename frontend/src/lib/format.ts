/**
 * Dates and times shown in the store's time zone (stored in UTC on the server), in the
 * user's language, through Intl only. The zone is the one the server sends with the signed-in
 * user (`me.timeZone`: their store's, or the server's default for staff without a store);
 * nothing here assumes a zone of its own.
 */
import { getLanguage, type Language, translate, translateCount } from './i18n';

/** Until the server has said (before sign-in), the device's own zone. */
let storeTimeZone: string | undefined;

export type DateInput = Date | string | number;

export interface FormatOptions {
  timeZone?: string;
  language?: Language;
}

/** Set from the signed-in user's zone as the server sends it; an unknown or missing zone
 * leaves the device's own. */
export function setStoreTimeZone(timeZone: string | null | undefined): void {
  storeTimeZone = timeZone && isValidTimeZone(timeZone) ? timeZone : undefined;
}

export function getStoreTimeZone(): string {
  return storeTimeZone ?? deviceTimeZone();
}

let deviceZone: string | undefined;

function deviceTimeZone(): string {
  deviceZone ??= new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return deviceZone;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: string, options: FormatOptions, extra: Intl.DateTimeFormatOptions) {
  const language = options.language ?? getLanguage();
  const timeZone = options.timeZone ?? getStoreTimeZone();
  const cacheKey = `${kind}|${language}|${timeZone}`;
  let cached = formatters.get(cacheKey);
  if (!cached) {
    cached = new Intl.DateTimeFormat(language, { timeZone, ...extra });
    formatters.set(cacheKey, cached);
  }
  return cached;
}

export function toDate(value: DateInput): Date {
  return value instanceof Date ? value : new Date(value);
}

/** "14:05" — 24-hour clock, as staff in China read it. */
export function formatTime(value: DateInput, options: FormatOptions = {}): string {
  return formatter('time', options, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    toDate(value),
  );
}

/** "3月5日周二" / "Tue, Mar 5"; the year is added when it is not the current one. */
export function formatDate(
  value: DateInput,
  options: FormatOptions = {},
  now: DateInput = new Date(),
): string {
  const date = toDate(value);
  const sameYear = storeDayKey(date, options).slice(0, 4) === storeDayKey(now, options).slice(0, 4);
  const extra: Intl.DateTimeFormatOptions = sameYear
    ? { month: 'short', day: 'numeric', weekday: 'short' }
    : { year: 'numeric', month: 'short', day: 'numeric' };
  return formatter(sameYear ? 'date' : 'dateYear', options, extra).format(date);
}

export function formatDateTime(
  value: DateInput,
  options: FormatOptions = {},
  now: DateInput = new Date(),
): string {
  return `${formatDate(value, options, now)} ${formatTime(value, options)}`;
}

/** The calendar day in the store's zone, "YYYY-MM-DD": what "today" and "overdue" mean there. */
export function storeDayKey(value: DateInput, options: Pick<FormatOptions, 'timeZone'> = {}): string {
  const parts = formatter(
    'day',
    { ...options, language: 'en' },
    {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    },
  ).formatToParts(toDate(value));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export function isSameStoreDay(
  a: DateInput,
  b: DateInput,
  options: Pick<FormatOptions, 'timeZone'> = {},
): boolean {
  return storeDayKey(a, options) === storeDayKey(b, options);
}

/** For "offline — data from …": the time alone if it is from today, else date and time. */
export function formatAsOf(
  value: DateInput,
  options: FormatOptions = {},
  now: DateInput = new Date(),
): string {
  return isSameStoreDay(value, now, options)
    ? formatTime(value, options)
    : formatDateTime(value, options, now);
}

/**
 * A calendar date from the server ("2026-12-03", a GraphQL Date): no time and no zone, so it
 * is shown as written rather than shifted through the store's zone.
 */
export function formatCalendarDate(
  isoDate: string,
  options: Pick<FormatOptions, 'language'> = {},
  now: DateInput = new Date(),
): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  const date = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1, 12));
  return formatDate(date, { ...options, timeZone: 'UTC' }, now);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How late a task may be before it reads as overdue (red). A deadline a few minutes past is
 * still being worked on — the call is being dialled, the customer is at the desk — so it reads
 * "due now"; past half an hour nobody is on it, and it is overdue.
 */
export const LATE_GRACE_MS = 30 * MINUTE;

/** Where a deadline stands now: late beyond the grace, just due, later today, or after today. */
export type DueState = 'overdue' | 'dueNow' | 'today' | 'later';

export function dueState(
  dueAt: DateInput,
  now: DateInput = new Date(),
  options: Pick<FormatOptions, 'timeZone'> = {},
): DueState {
  const left = toDate(dueAt).getTime() - toDate(now).getTime();
  if (left < -LATE_GRACE_MS) return 'overdue';
  if (left <= 0) return 'dueNow';
  return isSameStoreDay(dueAt, now, options) ? 'today' : 'later';
}

/** "45 min", "2 h", "3 days" / "45 分钟", "2 小时", "3 天": whole units, rounded down. */
export function formatSpan(ms: number, options: Pick<FormatOptions, 'language'> = {}): string {
  const language = options.language ?? getLanguage();
  const span = Math.abs(ms);
  if (span < HOUR) return translate(language, 'time.minutes', { n: Math.max(1, Math.floor(span / MINUTE)) });
  if (span < DAY) return translate(language, 'time.hours', { n: Math.floor(span / HOUR) });
  return translateCount(language, 'time.days', Math.floor(span / DAY));
}

/** A deadline from now: "in 2 h" / "2 小时后", "due now" / "刚到期", "3 days late" / "逾期 3 天". */
export function formatDueRelative(
  dueAt: DateInput,
  options: FormatOptions = {},
  now: DateInput = new Date(),
): string {
  const language = options.language ?? getLanguage();
  const left = toDate(dueAt).getTime() - toDate(now).getTime();
  const state = dueState(dueAt, now, options);
  if (state === 'dueNow') return translate(language, 'time.dueNow');
  const span = formatSpan(left, { language });
  return translate(language, state === 'overdue' ? 'time.late' : 'time.in', { span });
}

/**
 * A deadline as every screen shows it: "截止 14:05 · 2 小时后" / "Due Tue, Mar 5 14:05 · 3 days
 * late" — the clock time alone when it is today in the store, the relative time after it.
 */
export function formatDue(
  dueAt: DateInput,
  options: FormatOptions = {},
  now: DateInput = new Date(),
): string {
  const language = options.language ?? getLanguage();
  return translate(language, 'time.due', {
    time: formatAsOf(dueAt, options, now),
    relative: formatDueRelative(dueAt, options, now),
  });
}

/** Something that happened: "just now" / "刚刚", "5 min ago" / "5 分钟前", then the date and time. */
export function formatAgo(
  value: DateInput,
  options: FormatOptions = {},
  now: DateInput = new Date(),
): string {
  const language = options.language ?? getLanguage();
  const past = toDate(now).getTime() - toDate(value).getTime();
  if (past < MINUTE) return translate(language, 'time.justNow');
  if (past < DAY && isSameStoreDay(value, now, options)) {
    return translate(language, 'time.ago', { span: formatSpan(past, { language }) });
  }
  return formatDateTime(value, options, now);
}
