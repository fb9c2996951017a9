/**
 * Check-in mode (到店登记): which car, mileage, what the customer reports. Goes through the
 * offline queue, so it works in a workshop without signal and is applied once.
 */

import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { submitQueued } from '../../app/queue-sync';
import { useSignedInUser } from '../../app/session';
import { useQueueWaiting } from '../../app/useQueueCounts';
import { can } from '../../lib/abilities';
import { queueFailureText } from '../checklist/model';
import '../desk.css';
import { client } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { maxLength } from '../../lib/limits';
import { refusalText } from '../../lib/refusal';
import { Progress, TeachNextChips, teachPath } from '../learning/Learning';
import { ErrorNotice } from '../record/ErrorNotice';
import { OpenPromises } from '../record/OpenPromises';
import type { CustomerRecord } from '../record/operations';
import { BackButton, useCustomerRecord } from '../record/Record';
import { entitlementUseAction } from './EntitlementUse';
import { CheckInMutation } from './operations';

type Field = 'vehicleId' | 'mileageKm' | 'complaint';
type FieldErrors = Partial<Record<Field, string>>;
const FIELDS: ReadonlyArray<Field> = ['vehicleId', 'mileageKm', 'complaint'];

interface ServerFieldError {
  path: string;
  message: string;
  code: string;
}

/** ValidationError.fields, by this form's fields: "input.mileageKm" -> mileageKm. */
export function fieldErrorsFrom(fields: readonly ServerFieldError[]): {
  byField: FieldErrors;
  other: string[];
} {
  const byField: FieldErrors = {};
  const other: string[] = [];
  for (const field of fields) {
    const name = field.path.split('.').pop() as Field;
    const text = refusalText({ __typename: 'ValidationError', fields: [field] }, { fields: 'field' });
    if (FIELDS.includes(name)) byField[name] = text;
    else other.push(text);
  }
  return { byField, other };
}

/** Whole kilometres, or nothing; what the numeric keypad cannot stop (a paste) is caught here. */
export function parseMileage(text: string): number | null | 'invalid' {
  const clean = text.replace(/[\s,]/g, '');
  if (!clean) return null;
  return /^\d{1,9}$/.test(clean) ? Number(clean) : 'invalid';
}

export function CheckIn() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const user = useSignedInUser();
  const record = useCustomerRecord(id);
  const [outcome, setOutcome] = useState<'applied' | 'queued' | null>(null);
  const waiting = useQueueWaiting();
  // The record as it was before the check-in does not hold the new visit yet: entitlement uses
  // wait for a copy fetched from the server after it, so none lands on an older open visit.
  const [checkedInAt, setCheckedInAt] = useState<number | null>(null);

  if (!can(user, 'CHECK_IN')) return <NotAllowed customerId={id} />;
  if (record.status === 'loading') return <p class="muted">{t('record.loading')}</p>;
  if (record.status === 'error') return <ErrorNotice error={record.error} onRetry={record.refetch} />;
  const customer = record.data.customer;
  if (!customer) return <p class="notice">{t('record.notFound')}</p>;
  const recordHref = `/customers/${encodeURIComponent(customer.id)}`;

  if (outcome) {
    const owed = customer.openPromises.length > 0;
    return (
      <section class="screen" aria-labelledby="checkin-title">
        <h1 id="checkin-title">
          {t('checkin.title')}
          <span class="subtitle">{customer.name}</span>
        </h1>
        <p class={outcome === 'applied' ? 'success' : 'notice'} role="status">
          {outcome === 'applied'
            ? t('checkin.done', { name: customer.name })
            : waiting
              ? t('checkin.queued', { name: customer.name })
              : ''}
        </p>
        <section
          class={`record-section${owed ? ' record-section-prominent' : ''}`}
          aria-labelledby="checkin-promises"
        >
          <h2 id="checkin-promises">{t('record.openPromises')}</h2>
          {owed && <p>{t('checkin.promisesFirst')}</p>}
          <OpenPromises
            promises={customer.openPromises}
            action={
              checkedInAt !== null && !record.fromCache && record.fetchedAt.getTime() > checkedInAt
                ? entitlementUseAction(customer, record.refetch)
                : undefined
            }
          />
        </section>
        <LearningAtTheDesk customer={customer} />
        <a class="button button-block" href={recordHref}>
          {t('checkin.backToRecord')}
        </a>
      </section>
    );
  }

  return (
    <CheckInForm
      customer={customer}
      onDone={(result) => {
        setOutcome(result);
        // Fresh open promises and entitlements, and the visit on the record's timeline.
        if (result === 'applied') {
          setCheckedInAt(record.fetchedAt.getTime());
          record.refetch();
        }
      }}
    />
  );
}

function CheckInForm({
  customer,
  onDone,
}: {
  customer: CustomerRecord;
  onDone: (outcome: 'applied' | 'queued') => void;
}) {
  const [vehicleId, setVehicleId] = useState<string | null>(customer.vehicles[0]?.id ?? null);
  const [mileage, setMileage] = useState('');
  const [complaint, setComplaint] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const mileageKm = parseMileage(mileage);
    if (mileageKm === 'invalid') {
      setErrors({ mileageKm: t('checkin.mileageInvalid') });
      document.getElementById('checkin-mileage')?.focus();
      return;
    }
    setBusy(true);
    setErrors({});
    setFormError(null);
    try {
      const result = await submitQueued(client, {
        label: 'queue.kind.checkIn',
        operation: CheckInMutation,
        subject: { type: 'Customer', id: customer.id, name: customer.name, customerName: null },
        tapTimeField: 'checkedInAt',
        input: { customerId: customer.id, vehicleId, mileageKm, complaint: complaint.trim() },
      });
      if (result.kind !== 'refused') {
        onDone(result.kind);
        return;
      }
      const detail = result.failure.detail as { fields?: ServerFieldError[] } | undefined;
      const { byField, other } = fieldErrorsFrom(detail?.fields ?? []);
      setErrors(byField);
      const first = FIELDS.find((name) => byField[name]);
      if (first) document.getElementById(`checkin-${first}`)?.focus();
      else setFormError(t('checkin.refused', { reason: other[0] ?? queueFailureText(result.failure) }));
    } catch (caught) {
      setFormError(
        t('checkin.refused', { reason: caught instanceof Error ? caught.message : String(caught) }),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="screen" aria-labelledby="checkin-title">
      <BackButton />
      <h1 id="checkin-title">
        {t('checkin.title')}
        <span class="subtitle">{customer.name}</span>
      </h1>
      <form onSubmit={submit} noValidate>
        <fieldset
          class="choice-group"
          aria-invalid={errors.vehicleId ? 'true' : undefined}
          aria-describedby={errors.vehicleId ? 'checkin-vehicleId-error' : undefined}
        >
          <legend>{t('checkin.vehicle')}</legend>
          {customer.vehicles.map((vehicle, index) => (
            <label key={vehicle.id} class="choice">
              <input
                id={index === 0 ? 'checkin-vehicleId' : undefined}
                type="radio"
                name="vehicle"
                value={vehicle.id}
                checked={vehicleId === vehicle.id}
                onChange={() => setVehicleId(vehicle.id)}
              />
              <span>
                <span class="plate">{vehicle.plate ?? t('record.noPlate')}</span> {vehicle.modelName}
                <span class="vin muted">{vehicle.vin}</span>
              </span>
            </label>
          ))}
          <label class="choice">
            <input
              id={customer.vehicles.length === 0 ? 'checkin-vehicleId' : undefined}
              type="radio"
              name="vehicle"
              value=""
              checked={vehicleId === null}
              onChange={() => setVehicleId(null)}
            />
            <span>{t('checkin.noVehicle')}</span>
          </label>
          {errors.vehicleId && (
            <p id="checkin-vehicleId-error" class="field-error">
              {errors.vehicleId}
            </p>
          )}
        </fieldset>
        <div class="field">
          <label for="checkin-mileageKm">{t('checkin.mileage')}</label>
          <input
            id="checkin-mileageKm"
            name="mileageKm"
            type="text"
            inputMode="numeric"
            pattern="[0-9]*"
            autoComplete="off"
            value={mileage}
            aria-invalid={errors.mileageKm ? 'true' : undefined}
            aria-describedby={errors.mileageKm ? 'checkin-mileageKm-error' : undefined}
            onInput={(event) => setMileage(event.currentTarget.value)}
          />
          {errors.mileageKm && (
            <p id="checkin-mileageKm-error" class="field-error">
              {errors.mileageKm}
            </p>
          )}
        </div>
        <div class="field">
          <label for="checkin-complaint">{t('checkin.complaint')}</label>
          <textarea
            id="checkin-complaint"
            name="complaint"
            rows={3}
            maxLength={maxLength('visits.COMPLAINT_MAX')}
            value={complaint}
            placeholder={t('checkin.complaintPlaceholder')}
            aria-invalid={errors.complaint ? 'true' : undefined}
            aria-describedby={errors.complaint ? 'checkin-complaint-error' : undefined}
            onInput={(event) => setComplaint(event.currentTarget.value)}
          />
          {errors.complaint && (
            <p id="checkin-complaint-error" class="field-error">
              {errors.complaint}
            </p>
          )}
        </div>
        {formError && (
          <p class="form-error" role="alert">
            {formError}
          </p>
        )}
        <button type="submit" class="button button-primary button-block" disabled={busy}>
          {busy ? t('checkin.submitting') : t('checkin.submit')}
        </button>
      </form>
      {customer.openPromises.length > 0 && (
        <section class="record-section record-section-prominent" aria-labelledby="checkin-owed">
          <h2 id="checkin-owed">{t('record.openPromises')}</h2>
          <OpenPromises promises={customer.openPromises} />
        </section>
      )}
      <LearningAtTheDesk customer={customer} />
    </section>
  );
}

/** Opened by someone who does not check customers in (a link, a shared URL): say so, and the way back. */
function NotAllowed({ customerId }: { customerId: string }) {
  return (
    <section class="screen" aria-labelledby="checkin-title">
      <BackButton fallback={`/customers/${encodeURIComponent(customerId)}`} />
      <h1 id="checkin-title">{t('checkin.title')}</h1>
      <div class="notice" role="note">
        <p>{t('checkin.notAllowed')}</p>
        <p>{t('checkin.notAllowedWhy')}</p>
      </div>
      <a class="button button-primary button-block" href={`/customers/${encodeURIComponent(customerId)}`}>
        {t('checkin.backToRecord')}
      </a>
    </section>
  );
}

/** Where to continue teaching this customer, while they are at the desk. */
function LearningAtTheDesk({ customer }: { customer: CustomerRecord }) {
  return (
    <section class="record-section" aria-labelledby="checkin-learning">
      <h2 id="checkin-learning">{t('learning.title')}</h2>
      <Progress customer={customer} />
      <TeachNextChips customer={customer} />
      <a class="button button-block" href={teachPath(customer.id)}>
        {t('learning.record')}
      </a>
    </section>
  );
}
