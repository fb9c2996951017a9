/** Add or reword a promise (sales): what, which kind, and when it is due. */
import { useState } from 'preact/hooks';
import { submitQueued } from '../../app/queue-sync';
import { storeDayKey } from '../../lib/format';
import { client } from '../../lib/graphql';
import { type MessageKey, t } from '../../lib/i18n';
import { maxLength } from '../../lib/limits';
import { type ChecklistPromise, queueFailureText } from './model';
import { AddPromiseMutation, UpdatePromiseMutation } from './operations';

const CATEGORIES = [
  'GIFT_ACCESSORY',
  'VEHICLE_CONFIGURATION',
  'SERVICE_PACKAGE',
  'DELIVERY_TIME',
  'OTHER',
] as const;
const DUES = ['AT_HANDOVER', 'BY_DATE', 'ENTITLEMENT'] as const;
type Category = (typeof CATEGORIES)[number];
type Due = (typeof DUES)[number];

export function PromiseForm({
  orderId,
  promise,
  signed,
  onDone,
  onCancel,
  customerName,
}: {
  orderId: string;
  promise?: ChecklistPromise;
  /** Names the customer if a queued edit is refused. */
  customerName: string;
  signed: boolean;
  onDone: (queued: boolean) => void;
  onCancel: () => void;
}) {
  const prefix = promise ? `edit-${promise.id}` : 'add';
  const [category, setCategory] = useState<Category>(promise?.category ?? 'GIFT_ACCESSORY');
  const [description, setDescription] = useState(promise?.description ?? '');
  const [due, setDue] = useState<Due>(promise?.due ?? 'AT_HANDOVER');
  const [dueOn, setDueOn] = useState(promise?.dueOn ?? '');
  const [total, setTotal] = useState(String(promise?.entitlementTotal ?? ''));
  const [validUntil, setValidUntil] = useState(promise?.entitlementValidUntil ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const today = storeDayKey(new Date());
  const id = (name: string) => `${prefix}-${name}`;

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const terms = {
      category,
      description: description.trim(),
      due,
      dueOn: due === 'BY_DATE' ? dueOn || null : null,
      entitlementTotal: due === 'ENTITLEMENT' && total ? Number(total) : null,
      entitlementValidUntil: due === 'ENTITLEMENT' ? validUntil || null : null,
    };
    try {
      const outcome = promise
        ? await submitQueued(client, {
            label: 'queue.kind.promiseTerms',
            operation: UpdatePromiseMutation,
            subject: { type: 'Promise', id: promise.id, name: promise.description, customerName },
            input: { id: promise.id, version: promise.version, terms },
          })
        : await submitQueued(client, {
            label: 'queue.kind.promiseTerms',
            operation: AddPromiseMutation,
            subject: { type: 'Order', id: orderId, name: terms.description, customerName },
            input: { orderId, terms },
          });
      if (outcome.kind === 'refused') {
        setError(queueFailureText(outcome.failure));
        return;
      }
      onDone(outcome.kind === 'queued');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card promise-form" onSubmit={submit} aria-labelledby={id('title')}>
      <h2 id={id('title')}>{promise ? t('checklist.form.editTitle') : t('checklist.form.addTitle')}</h2>
      <div class="field">
        <label for={id('category')}>{t('checklist.form.category')}</label>
        <select
          id={id('category')}
          value={category}
          onChange={(e) => setCategory(e.currentTarget.value as Category)}
        >
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(`promise.category.${c}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={id('description')}>{t('checklist.form.description')}</label>
        <textarea
          id={id('description')}
          rows={2}
          required
          maxLength={maxLength('promises.DESCRIPTION_MAX')}
          value={description}
          onInput={(e) => setDescription(e.currentTarget.value)}
        />
      </div>
      <fieldset class="cl-choices">
        <legend>{t('checklist.form.due')}</legend>
        {DUES.map((d) => (
          <button
            key={d}
            type="button"
            class="button cl-choice"
            aria-pressed={due === d}
            onClick={() => setDue(d)}
          >
            {t(`checklist.form.due.${d}` as MessageKey)}
          </button>
        ))}
      </fieldset>
      {due === 'BY_DATE' && (
        <div class="field">
          <label for={id('dueOn')}>{t('checklist.form.dueOn')}</label>
          <input
            id={id('dueOn')}
            type="date"
            min={today}
            required
            value={dueOn}
            onInput={(e) => setDueOn(e.currentTarget.value)}
          />
        </div>
      )}
      {due === 'ENTITLEMENT' && (
        <>
          <div class="field">
            <label for={id('total')}>{t('checklist.form.total')}</label>
            <input
              id={id('total')}
              type="number"
              inputMode="numeric"
              min={Math.max(1, promise?.entitlementUsed ?? 0)}
              max={100}
              required
              value={total}
              onInput={(e) => setTotal(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for={id('validUntil')}>{t('checklist.form.validUntil')}</label>
            <input
              id={id('validUntil')}
              type="date"
              min={today}
              required
              value={validUntil}
              onInput={(e) => setValidUntil(e.currentTarget.value)}
            />
          </div>
        </>
      )}
      {signed && <p class="cl-hint">{t('checklist.form.bumpsVersion')}</p>}
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <div class="cl-row">
        <button type="button" class="button" onClick={onCancel}>
          {t('checklist.cancel')}
        </button>
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? t('checklist.saving') : t('checklist.form.save')}
        </button>
      </div>
    </form>
  );
}
