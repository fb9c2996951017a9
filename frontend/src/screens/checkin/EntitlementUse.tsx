/**
 * Record one use of an entitlement at the visit in progress (本次使用): "6 free services" becomes
 * 5 left. Queued like every other change, so a workshop without signal still records it once.
 */

import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { submitQueued } from '../../app/queue-sync';
import { useQueueWaiting } from '../../app/useQueueCounts';
import { client } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { queueFailureText } from '../checklist/model';
import type { CustomerRecord } from '../record/operations';
import { RecordEntitlementUseMutation } from './operations';

type OpenPromise = CustomerRecord['openPromises'][number];
type Visit = CustomerRecord['serviceVisits'][number];

/** The visit an entitlement use belongs to: the newest one not yet completed. */
export function visitInProgress(customer: CustomerRecord): Visit | null {
  return customer.serviceVisits.find((visit) => visit.status !== 'COMPLETED') ?? null;
}

export function usedAtVisit(promise: OpenPromise, visit: Visit): boolean {
  return visit.entitlementUses.some((use) => use.promise.id === promise.id);
}

/** An entitlement with uses left that this visit has not used yet (one use per visit). */
export function usableAtVisit(promise: OpenPromise, visit: Visit): boolean {
  return promise.due === 'ENTITLEMENT' && promise.entitlementRemaining > 0 && !usedAtVisit(promise, visit);
}

/**
 * The "use one" button under each entitlement the open visit may still use: after the check-in
 * that opened it, and on the record at any open visit (one synced from an offline check-in too).
 * The visit's recorded uses say which ones it already took, so none is offered twice.
 */
export function entitlementUseAction(
  customer: CustomerRecord,
  onUsed: () => void,
): ((promise: OpenPromise) => ComponentChildren) | undefined {
  const visit = visitInProgress(customer);
  if (!visit) return undefined;
  return (promise) => {
    // Said again once the refreshed record shows the use, so the confirmation does not vanish.
    if (usedAtVisit(promise, visit)) {
      return (
        <p class="success" role="status">
          {t('entitlement.used', { name: customer.name })}
        </p>
      );
    }
    return usableAtVisit(promise, visit) ? (
      <UseEntitlement promise={promise} customerName={customer.name} visitId={visit.id} onUsed={onUsed} />
    ) : null;
  };
}

function UseEntitlement({
  promise,
  customerName,
  visitId,
  onUsed,
}: {
  promise: OpenPromise;
  customerName: string;
  visitId: string;
  onUsed: () => void;
}) {
  const [state, setState] = useState<'idle' | 'busy' | 'used' | 'queued'>('idle');
  const waiting = useQueueWaiting();
  const [error, setError] = useState<string | null>(null);

  async function use() {
    setState('busy');
    setError(null);
    try {
      const outcome = await submitQueued(client, {
        label: 'queue.kind.entitlementUse',
        operation: RecordEntitlementUseMutation,
        subject: { type: 'Promise', id: promise.id, name: promise.description, customerName },
        input: { visitId, promiseId: promise.id },
      });
      if (outcome.kind === 'refused') {
        setError(queueFailureText(outcome.failure));
        setState('idle');
        return;
      }
      setState(outcome.kind === 'queued' ? 'queued' : 'used');
      if (outcome.kind === 'applied') onUsed();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
      setState('idle');
    }
  }

  // One use per visit (the server refuses a second): once recorded, the button goes.
  if (state === 'used' || state === 'queued') {
    return (
      <p class={state === 'used' ? 'success' : 'notice'} role="status">
        {state === 'used'
          ? t('entitlement.used', { name: customerName })
          : waiting
            ? t('entitlement.queued', { name: customerName })
            : ''}
      </p>
    );
  }
  return (
    <div class="entitlement-use">
      <button
        type="button"
        class="button button-block"
        disabled={state === 'busy'}
        aria-label={t('entitlement.useNamed', { description: promise.description })}
        onClick={use}
      >
        {state === 'busy' ? t('entitlement.using') : t('entitlement.use')}
      </button>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
