/** What one can do with a booking from the day panel: preempt it, check the car out, return it. */

import { useState } from 'preact/hooks';
import { viewerCan } from '../../lib/abilities';
import { client } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { maxLength } from '../../lib/limits';
import { newKey } from './model';
import type { Booking, Car, Week } from './operations';
import { PreemptBookingMutation } from './operations';
import { send } from './send';
import { UseForm } from './UseForm';

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
          {handsOver && booking.status === 'BOOKED' && car.status === 'AVAILABLE' && (
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
          maxLength={maxLength('journeys.cars.REASON_MAX')}
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
