/**
 * Submit the order (提交订单) from its checklist, to a delivery specialist of the store. It is
 * the main action once the customer has signed the list (an empty one confirmed as "no
 * promises"); before that the card says so. The server is the gate, not the phone: pressed
 * anyway, each reason it refuses for (unsigned, no delivery date, ...) is shown in the user's
 * language.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  client,
  GraphQLRequestError,
  isErrorPayload,
  NetworkError,
  type ResultOfOp,
} from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { newClientMutationId } from '../../lib/offline-queue';
import { type ChecklistOrder, failureText, reasonText } from './model';
import { DeliverySpecialistsQuery, SubmitOrderMutation } from './operations';

type Specialist = ResultOfOp<typeof DeliverySpecialistsQuery>['deliverySpecialists'][number];
type Refusal = { title: boolean; lines: string[] };

export function SubmitOrder({
  order,
  customerId,
  onSubmitted,
}: {
  order: ChecklistOrder;
  customerId: string;
  onSubmitted: (specialist: string) => void;
}) {
  const [specialists, setSpecialists] = useState<readonly Specialist[] | null>(null);
  const [chosen, setChosen] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const mutationKey = useRef(newClientMutationId());
  const signed = order.currentSignature !== null;

  useEffect(() => {
    let alive = true;
    client.request(DeliverySpecialistsQuery, { customerId }).then(
      ({ deliverySpecialists }) => {
        if (!alive) return;
        setSpecialists(deliverySpecialists);
        setChosen((current) => current || (deliverySpecialists[0]?.id ?? ''));
      },
      // Offline or refused: not "the store has none", which would be untrue.
      () => alive && setRefusal({ title: false, lines: [t('checklist.submit.offline')] }),
    );
    return () => {
      alive = false;
    };
  }, [customerId]);

  async function submit(event: Event) {
    event.preventDefault();
    if (busy || !chosen) return;
    setBusy(true);
    setRefusal(null);
    try {
      const { submitOrder: payload } = await client.request(SubmitOrderMutation, {
        input: {
          orderId: order.id,
          version: order.version,
          deliverySpecialistId: chosen,
          clientMutationId: mutationKey.current,
        },
      });
      if (isErrorPayload(payload)) {
        mutationKey.current = newClientMutationId();
        const reasons = payload.__typename === 'RuleViolationError' ? payload.reasons : [];
        setRefusal(
          reasons.length > 0
            ? { title: true, lines: reasons.map((r) => reasonText(r.code, r.message)) }
            : { title: true, lines: [failureText(payload)] },
        );
        onSubmitted('');
        return;
      }
      onSubmitted(specialists?.find((s) => s.id === chosen)?.displayName ?? '');
    } catch (caught) {
      setRefusal({
        title: false,
        lines: [
          caught instanceof NetworkError
            ? t('checklist.submit.offline')
            : caught instanceof GraphQLRequestError
              ? t('app.error', { message: caught.message })
              : String(caught),
        ],
      });
    } finally {
      setBusy(false);
    }
  }

  const none = specialists !== null && specialists.length === 0;
  return (
    <form class="card submit-order" onSubmit={submit} aria-labelledby="submit-title">
      <h2 id="submit-title">{t('checklist.submit.title')}</h2>
      {none ? (
        <p class="cl-hint">{t('checklist.submit.noSpecialist')}</p>
      ) : (
        <div class="field">
          <label for="submit-specialist">{t('checklist.submit.specialist')}</label>
          <select
            id="submit-specialist"
            value={chosen}
            disabled={specialists === null}
            onChange={(e) => setChosen(e.currentTarget.value)}
          >
            {(specialists ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.displayName}
              </option>
            ))}
          </select>
        </div>
      )}
      {!signed && (
        <p class="cl-hint" data-testid="submit-needs-signature">
          {t('checklist.submit.needsSignature')}
        </p>
      )}
      {refusal && (
        <div class="blocking-banner" role="alert" data-testid="submit-refusal">
          {refusal.title && <p class="blocking-title">{t('checklist.submit.refused')}</p>}
          <ul>
            {refusal.lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
      <button
        type="submit"
        class={`button button-block ${signed ? 'button-primary' : ''}`}
        disabled={busy || !chosen}
      >
        {busy ? t('checklist.saving') : t('checklist.submit.button')}
      </button>
    </form>
  );
}
