import { describe, expect, it } from 'vitest';
import { placeInDay, slotsFor, zonedInstant } from './model';

describe('zonedInstant', () => {
  it('reads a Shanghai wall-clock time as UTC+8', () => {
    expect(zonedInstant('2026-11-28', '10:00', 'Asia/Shanghai').toISOString()).toBe(
      '2026-11-28T02:00:00.000Z',
    );
  });
  it('follows summer time in Berlin', () => {
    expect(zonedInstant('2027-07-01', '10:00', 'Europe/Berlin').toISOString()).toBe(
      '2027-07-01T08:00:00.000Z',
    );
    expect(zonedInstant('2027-01-15', '10:00', 'Europe/Berlin').toISOString()).toBe(
      '2027-01-15T09:00:00.000Z',
    );
  });
  it('reads the wall clock on the day the clocks change', () => {
    // Sunday 28 March 2027: Berlin goes from 02:00 CET to 03:00 CEST.
    expect(zonedInstant('2027-03-28', '00:00', 'Europe/Berlin').toISOString()).toBe(
      '2027-03-27T23:00:00.000Z',
    );
    expect(zonedInstant('2027-03-28', '10:00', 'Europe/Berlin').toISOString()).toBe(
      '2027-03-28T08:00:00.000Z',
    );
    expect(zonedInstant('2026-11-01', '10:00', 'America/New_York').toISOString()).toBe(
      '2026-11-01T15:00:00.000Z',
    );
  });
});

describe('placeInDay', () => {
  const opens = new Date('2026-11-28T00:00:00Z');
  const closes = new Date('2026-11-28T13:00:00Z');
  it('places a booking by its share of the opening hours', () => {
    const placed = placeInDay(
      { startsAt: '2026-11-28T02:00:00Z', endsAt: '2026-11-28T04:00:00Z' },
      opens,
      closes,
    );
    expect(placed?.top).toBeCloseTo((2 / 13) * 100);
    expect(placed?.height).toBeCloseTo((2 / 13) * 100);
  });
  it('leaves out a booking outside the day', () => {
    expect(
      placeInDay({ startsAt: '2026-11-29T02:00:00Z', endsAt: '2026-11-29T04:00:00Z' }, opens, closes),
    ).toBeNull();
  });
});

describe('slotsFor', () => {
  it('offers the evening on a working day and four slots at the weekend', () => {
    expect(slotsFor(true).map((s) => s.start)).toContain('18:30');
    expect(slotsFor(false)).toHaveLength(4);
  });
});
