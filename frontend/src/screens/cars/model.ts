/** The week view's arithmetic: where a booking sits in a day cell, the slots offered to book. */
import { TZDate } from '@date-fns/tz';

export interface Span {
  startsAt: string;
  endsAt: string;
}

/** The instant of a wall-clock time on a store-local date ("2026-11-28", "18:30"), in the
 * zone the server sends with the store (wall time through @date-fns/tz, not by hand). */
export function zonedInstant(day: string, hhmm: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const [h, mi] = hhmm.split(':').map(Number) as [number, number];
  return new Date(new TZDate(y, m - 1, d, h, mi, timeZone).getTime());
}

/** Top and height of a span inside the day's opening hours, in percent (clipped). */
export function placeInDay(
  span: Span,
  dayOpens: Date,
  dayCloses: Date,
): { top: number; height: number } | null {
  const total = dayCloses.getTime() - dayOpens.getTime();
  const start = Math.max(new Date(span.startsAt).getTime(), dayOpens.getTime());
  const end = Math.min(new Date(span.endsAt).getTime(), dayCloses.getTime());
  if (end <= start || total <= 0) return null;
  return {
    top: ((start - dayOpens.getTime()) / total) * 100,
    height: ((end - start) / total) * 100,
  };
}

export function overlaps(a: Span, from: Date, to: Date): boolean {
  return new Date(a.startsAt).getTime() < to.getTime() && new Date(a.endsAt).getTime() > from.getTime();
}

export interface Slot {
  start: string;
  end: string;
}

/** Offered on a day: daytime loaner slots and the evening test drive; a weekend gets more. */
export function slotsFor(serviceDay: boolean): Slot[] {
  return serviceDay
    ? [
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
        { start: '18:30', end: '20:30' },
      ]
    : [
        { start: '10:00', end: '12:00' },
        { start: '13:00', end: '15:00' },
        { start: '16:00', end: '18:00' },
        { start: '19:00', end: '21:00' },
      ];
}

/** A fresh idempotency key for one attempt (a retry of the same attempt reuses it). */
export function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
