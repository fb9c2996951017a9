/** What one can do from the day panel: book a slot, preempt, check out, return, turnaround. */

import { useState } from 'preact/hooks';
import { useSignedInUser } from '../../app/session';
import { viewerCan } from '../../lib/abilities';
import { client, isErrorPayload } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { maxLength } from '../../lib/limits';
import { type Failure, refusalText } from '../../lib/refusal';
import { uploadPhoto } from '../../lib/uploads';
import { newKey, overlaps, slotsFor, zonedInstant } from './model';
import type { Booking, Car, Day, Week } from './operations';
import {
  BookCarMutation,
  CheckOutCarMutation,
  PreemptBookingMutation,
  RecordTurnaroundMutation,
  ReturnCarMutation,
} from './operations';

async function send<P extends { __typename: string }>(
  request: () => Promise<P>,
  onDone: (message: string) => void,
  setError: (error: string | null) => void,
  success: string,
): Promise<boolean> {
  try {
    const payload = await request();
    if (isErrorPayload(payload)) {
      setError(refusalText(payload as unknown as Failure));
      return false;
    }
    setError(null);
    onDone(success);
    return true;
  } catch (caught) {
    setError(t('cars.failed', { reason: caught instanceof Error ? caught.message : String(caught) }));
    return false;
  }
}

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
  const user = useSignedInUser();
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

export function BookingActions({
  week,
  car,
  booking,
  onDone,
}: {
  week: Week;
  car: Car;
  booking: Booking;
  onDone: (message: string) => void;
}) {
  const user = useSignedInUser();
  const mine = booking.bookedBy.id === user.id;
  const canPreempt = booking.status === 'BOOKED' && viewerCan(booking, 'PREEMPT_BOOKING');
  const handsOver = viewerCan(booking, 'HAND_OVER_CAR');
  const [open, setOpen] = useState<'preempt' | 'checkOut' | 'return' | null>(null);
  return (
    <div class="booking-actions">
      {open === null && (
        <div class="action-row">
          {canPreempt && (
            <button type="button" class="button" onClick={() => setOpen('preempt')}>
              {t('cars.preempt')}
            </button>
          )}
          {handsOver &&
            booking.status === 'BOOKED' &&
            (mine || !canPreempt) &&
            car.status === 'AVAILABLE' && (
              <button type="button" class="button" onClick={() => setOpen('checkOut')}>
                {t('cars.checkOut')}
              </button>
            )}
          {handsOver && booking.status === 'CHECKED_OUT' && (
            <button type="button" class="button button-primary" onClick={() => setOpen('return')}>
              {t('cars.return')}
            </button>
          )}
        </div>
      )}
      {open === 'preempt' && (
        <PreemptForm week={week} booking={booking} onCancel={() => setOpen(null)} onDone={onDone} />
      )}
      {open === 'checkOut' && (
        <UseForm mode="checkOut" car={car} booking={booking} onCancel={() => setOpen(null)} onDone={onDone} />
      )}
      {open === 'return' && (
        <UseForm mode="return" car={car} booking={booking} onCancel={() => setOpen(null)} onDone={onDone} />
      )}
    </div>
  );
}

function PreemptForm({
  booking,
  onCancel,
  onDone,
}: {
  week: Week;
  booking: Booking;
  onCancel: () => void;
  onDone: (message: string) => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [key] = useState(newKey);
  const id = `preempt-${booking.id}`;

  async function submit(event: Event) {
    event.preventDefault();
    if (!reason.trim()) {
      setError(t('cars.reasonRequired'));
      return;
    }
    setBusy(true);
    await send(
      async () =>
        (
          await client.request(PreemptBookingMutation, {
            input: {
              carId: booking.car.id,
              startsAt: booking.startsAt,
              endsAt: booking.endsAt,
              reason: reason.trim(),
              clientMutationId: key,
            },
          })
        ).preemptBooking,
      onDone,
      setError,
      t('cars.preempted'),
    );
    setBusy(false);
  }

  return (
    <form class="inline-form" onSubmit={submit}>
      <div class="field">
        <label for={id}>{t('cars.preemptReason')}</label>
        <input
          id={id}
          value={reason}
          maxLength={maxLength('journeys.cars.preemption.REASON_MAX')}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <div class="action-row">
        <button type="submit" class="button button-primary" disabled={busy}>
          {t('cars.preemptConfirm')}
        </button>
        <button type="button" class="button" onClick={onCancel}>
          {t('cars.cancel')}
        </button>
      </div>
    </form>
  );
}

function UseForm({
  mode,
  car,
  booking,
  onCancel,
  onDone,
}: {
  mode: 'checkOut' | 'return';
  car: Car;
  booking: Booking;
  onCancel: () => void;
  onDone: (message: string) => void;
}) {
  const [odometer, setOdometer] = useState(String(car.odometerKm));
  const [charge, setCharge] = useState(String(car.chargePercent));
  const [condition, setCondition] = useState('');
  const [damage, setDamage] = useState('');
  const [damageNote, setDamageNote] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [key] = useState(newKey);
  const base = `${mode}-${booking.id}`;

  async function addPhoto(event: Event) {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    try {
      const id = await uploadPhoto(file);
      setPhotos((current) => [...current, id]);
    } catch (caught) {
      setError(t('cars.failed', { reason: caught instanceof Error ? caught.message : String(caught) }));
    }
    input.value = '';
  }

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    const common = {
      bookingId: booking.id,
      odometerKm: Number(odometer) || 0,
      chargePercent: Number(charge) || 0,
      condition: condition.trim(),
      photoIds: photos,
      clientMutationId: key,
    };
    if (mode === 'checkOut') {
      await send(
        async () => (await client.request(CheckOutCarMutation, { input: common })).checkOutCar,
        onDone,
        setError,
        t('cars.checkedOut', { car: car.plate }),
      );
    } else {
      await send(
        async () =>
          (
            await client.request(ReturnCarMutation, {
              input: { ...common, damageYuan: Number(damage) || 0, damageNote: damageNote.trim() },
            })
          ).returnCar,
        onDone,
        setError,
        t('cars.returned', { car: car.plate }),
      );
    }
    setBusy(false);
  }

  return (
    <form class="inline-form" onSubmit={submit}>
      <div class="field">
        <label for={`${base}-odometer`}>{t('cars.odometer')}</label>
        <input
          id={`${base}-odometer`}
          inputMode="numeric"
          value={odometer}
          onInput={(e) => setOdometer(e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for={`${base}-charge`}>{t('cars.charge')}</label>
        <input
          id={`${base}-charge`}
          inputMode="numeric"
          value={charge}
          onInput={(e) => setCharge(e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for={`${base}-condition`}>{t('cars.condition')}</label>
        <input
          id={`${base}-condition`}
          value={condition}
          onInput={(e) => setCondition(e.currentTarget.value)}
        />
      </div>
      {mode === 'return' && (
        <>
          <div class="field">
            <label for={`${base}-damage`}>{t('cars.damageYuan')}</label>
            <input
              id={`${base}-damage`}
              inputMode="numeric"
              value={damage}
              onInput={(e) => setDamage(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for={`${base}-damage-note`}>{t('cars.damageNote')}</label>
            <input
              id={`${base}-damage-note`}
              value={damageNote}
              onInput={(e) => setDamageNote(e.currentTarget.value)}
            />
          </div>
        </>
      )}
      <div class="field">
        <label for={`${base}-photo`}>{t('cars.photos', { count: photos.length })}</label>
        <input id={`${base}-photo`} type="file" accept="image/*" capture="environment" onChange={addPhoto} />
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <div class="action-row">
        <button type="submit" class="button button-primary" disabled={busy}>
          {mode === 'checkOut' ? t('cars.checkOutConfirm') : t('cars.returnConfirm')}
        </button>
        <button type="button" class="button" onClick={onCancel}>
          {t('cars.cancel')}
        </button>
      </div>
    </form>
  );
}

export function TurnaroundForm({ car, onDone }: { car: Car; onDone: (message: string) => void }) {
  const [washed, setWashed] = useState(false);
  const [inspected, setInspected] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [key] = useState(newKey);

  async function submit(event: Event) {
    event.preventDefault();
    await send(
      async () =>
        (
          await client.request(RecordTurnaroundMutation, {
            input: { carId: car.id, washed, inspected, clientMutationId: `${key}-${washed}-${inspected}` },
          })
        ).recordCarTurnaround,
      onDone,
      setError,
      t('cars.turnaroundRecorded', { car: car.plate }),
    );
  }

  return (
    <form class="inline-form" onSubmit={submit}>
      <p class="notice">{t('cars.needsTurnaround')}</p>
      <label class="check">
        <input type="checkbox" checked={washed} onChange={(e) => setWashed(e.currentTarget.checked)} />
        {t('cars.washed')}
      </label>
      <label class="check">
        <input type="checkbox" checked={inspected} onChange={(e) => setInspected(e.currentTarget.checked)} />
        {t('cars.inspected')}
      </label>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="button button-primary button-block" disabled={!washed && !inspected}>
        {t('cars.recordTurnaround')}
      </button>
    </form>
  );
}
