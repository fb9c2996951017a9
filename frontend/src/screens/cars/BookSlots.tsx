/** Book a free slot of a car on one day (the day panel). */

import { useState } from 'preact/hooks';
import { viewerCan } from '../../lib/abilities';
import { client } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { newKey, overlaps, slotsFor, zonedInstant } from './model';
import type { Booking, Car, Day, Week } from './operations';
import { BookCarMutation } from './operations';
import { send } from './send';

export function BookSlots({
  week,
  car,
  day,
  taken,
  onDone,
}: {
  week: Week;
  car: Car;
  day: Day;
  taken: readonly Booking[];
  onDone: (message: string) => void;
}) {
  const [chosen, setChosen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [key] = useState(newKey);
  if (!viewerCan(car, 'BOOK_CAR')) return null;
  const zone = week.store.timeZone;
  const now = Date.now();
  const slots = slotsFor(day.serviceWindow !== null)
    .map((slot) => ({
      ...slot,
      id: `${slot.start}-${slot.end}`,
      from: zonedInstant(day.date, slot.start, zone),
      to: zonedInstant(day.date, slot.end, zone),
    }))
    .filter((slot) => slot.from.getTime() > now);
  if (slots.length === 0) return null;
  const selected = slots.find((slot) => slot.id === chosen) ?? null;

  async function book() {
    if (!selected) return;
    setBusy(true);
    const ok = await send(
      async () =>
        (
          await client.request(BookCarMutation, {
            input: {
              carId: car.id,
              startsAt: selected.from.toISOString(),
              endsAt: selected.to.toISOString(),
              clientMutationId: `${key}-${selected.id}`,
            },
          })
        ).bookCar,
      onDone,
      setError,
      t('cars.booked', { car: car.plate, from: selected.start, to: selected.end }),
    );
    setBusy(false);
    if (ok) setChosen(null);
  }

  return (
    <fieldset class="slots">
      <legend>{t('cars.bookSlot')}</legend>
      <div class="slot-row">
        {slots.map((slot) => {
          const busySlot = taken.some(
            (b) =>
              b.status !== 'NEEDS_CAR' &&
              overlaps({ startsAt: b.startsAt, endsAt: b.blockedUntil }, slot.from, slot.to),
          );
          return (
            <button
              type="button"
              key={slot.id}
              class="button slot"
              aria-pressed={chosen === slot.id}
              disabled={busySlot}
              onClick={() => setChosen(slot.id)}
            >
              {slot.start}–{slot.end}
              {busySlot && <span class="visually-hidden"> {t('cars.taken')}</span>}
            </button>
          );
        })}
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <button
        type="button"
        class="button button-primary button-block"
        disabled={!selected || busy}
        onClick={book}
      >
        {selected ? t('cars.bookThis', { from: selected.start, to: selected.end }) : t('cars.pickSlot')}
      </button>
    </fieldset>
  );
}
