/** After a return: record the wash and the inspection; with both the car is available. */

import { useState } from 'preact/hooks';
import { client } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { newKey } from './model';
import type { Car } from './operations';
import { RecordTurnaroundMutation } from './operations';
import { send } from './send';

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
