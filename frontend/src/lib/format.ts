/**
 * Dates and times shown in the store's time zone (stored in UTC on the server), in the
 * user's language, through Intl only.
 */
import { getLanguage, type Language } from './i18n';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

let storeTimeZone = DEFAULT_TIME_ZONE;

export type DateInput = Date | string | number;

export interface FormatOptions {
  timeZone?: string;
  language?: Language;
}

/** Set from the signed-in user's store; an unknown zone falls back to the default. */
export function setStoreTimeZone(timeZone: string | null | undefined): void {
  storeTimeZone = timeZone && isValidTimeZone(timeZone) ? timeZone : DEFAULT_TIME_ZONE;
}

export function getStoreTimeZone(): string {
  return storeTimeZone;
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
  const timeZone = options.timeZone ?? storeTimeZone;
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
