/** The week view's arithmetic: where a booking sits in a day cell, the slots offered to book. */

export interface Span {
  startsAt: string;
  endsAt: string;
}

/** The UTC instant of a wall-clock time on a store-local date ("2026-11-28", "18:30"). */
export function zonedInstant(day: string, hhmm: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const [h, mi] = hhmm.split(':').map(Number) as [number, number];
  const guess = Date.UTC(y, m - 1, d, h, mi);
  const offset = offsetMinutes(new Date(guess), timeZone);
  const first = guess - offset * 60_000;
  // Across a change of offset the first guess can be an hour off: correct once.
  const again = offsetMinutes(new Date(first), timeZone);
  return new Date(guess - again * 60_000);
}

function offsetMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'));
  return Math.round((asUtc - at.getTime()) / 60_000);
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
