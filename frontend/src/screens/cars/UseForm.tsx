/** Check-out and return of a booked car: odometer, charge, condition, photos (and damage). */

import { useState } from 'preact/hooks';
import { client } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { uploadPhoto } from '../../lib/uploads';
import { newKey } from './model';
import type { Booking, Car } from './operations';
import { CheckOutCarMutation, ReturnCarMutation } from './operations';
import { send } from './send';

export function UseForm({
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
