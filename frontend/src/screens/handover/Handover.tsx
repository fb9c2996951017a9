/**
 * Handover mode (交车): the delivery specialist walks the promises one by one with the customer
 * beside them, marks each, gets the customer's signature for a deferral or waiver, and completes
 * the handover. What blocks it is the server's answer (Order.handoverBlockers): a banner names
 * each open promise, and "complete" is enabled only when the server lists nothing.
 */

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { OfflineBanner } from '../../app/OfflineBanner';
import { useSignedInUser } from '../../app/session';
import { useQueueWaiting } from '../../app/useQueueCounts';
import { can } from '../../lib/abilities';
import { formatCalendarDate, formatDateTime } from '../../lib/format';
import { client, GraphQLRequestError, isErrorPayload, NetworkError } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { maxLength } from '../../lib/limits';
import { newClientMutationId } from '../../lib/offline-queue';
import '../checklist/checklist.css';
import { HandoverGate, StaleNote } from '../checklist/HandoverGate';
import {
  blockersFrom,
  blockingPromiseIds,
  type ChecklistOrder,
  dueText,
  failureText,
  handoverState,
  listed,
  orderPath,
  type RuleReason,
  useOrderChecklist,
  usePendingChanges,
} from '../checklist/model';
import { CompleteHandoverMutation } from '../checklist/operations';
import { PromiseDetails } from '../checklist/PromiseDetails';
import { StatusPanel } from '../checklist/StatusPanel';
import { HandoverLearning } from '../learning/HandoverLearning';
import { ErrorNotice } from '../record/ErrorNotice';
import { StateBadge, StepDots, stateLabel } from './HandoverSteps';

/** The reasons of a refused completeHandover, until the refetch after it brings the order's own. */
type Refusal = { reasons: readonly RuleReason[]; seenWith: Date };

export function Handover() {
  const { params } = useRoute();
  const location = useLocation();
  const customerId = params.id ?? '';
  const orderId = params.orderId ?? '';
  const user = useSignedInUser();
  const { query, order, customer } = useOrderChecklist(customerId, orderId);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [issues, setIssues] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ text: string; queued: boolean } | null>(null);
  const waiting = useQueueWaiting();
  const mutationKey = useRef(newClientMutationId());
  const heading = useRef<HTMLHeadingElement>(null);
  const stepParam = location.query.step;
  const pending = usePendingChanges(order, query.refetch);

  useEffect(() => {
    // A new card: move focus to it so a screen reader (and the eye) starts there; what was said
    // about the previous card is not about this one.
    heading.current?.focus();
    setNotice(null);
  }, [stepParam]);

  // Handover mode has no tabs to leave by: until the order is shown, the way out is offered here.
  const unshown = (body: ComponentChildren) => (
    <section class="screen">
      <OfflineBanner />
      <a class="back-link" href={orderPath(customerId, orderId, 'checklist')}>
        <span aria-hidden="true">‹</span> {t('handover.exit')}
      </a>
      {body}
    </section>
  );
  if (query.status === 'loading') return unshown(<p class="muted">{t('app.loading')}</p>);
  if (query.status === 'error') return unshown(<ErrorNotice error={query.error} onRetry={query.refetch} />);
  if (!order || !customer) return unshown(<p class="notice">{t('checklist.notFound')}</p>);
  if (order.status === 'DELIVERED')
    return <Delivered order={order} customerId={customerId} name={customer.name} />;

  const items = listed(order);
  const shownWith = query.fetchedAt;
  const reasons = refusal && refusal.seenWith === shownWith ? refusal.reasons : order.handoverBlockers;
  const blockers = blockersFrom(reasons, order);
  const open = blockingPromiseIds(reasons);
  const finish = items.length;
  const signedParam = location.query.signed;
  let step = stepParam === undefined ? Number.NaN : Number(stepParam);
  if (!Number.isInteger(step) || step < 0 || step > finish) {
    // Back from the signature: straight to what still blocks, else to the end.
    const firstOpen = items.findIndex((p) => open.has(p.id));
    step = signedParam !== undefined ? (firstOpen >= 0 ? firstOpen : finish) : 0;
  }
  const go = (next: number) => {
    setError(null);
    setNotice(null);
    location.route(`${orderPath(customerId, order.id, 'handover')}?step=${next}`, true);
  };
  const signHref = `${orderPath(customerId, order.id, 'sign')}?v=${order.checklistVersion}&from=handover`;
  const maySign = can(user, 'COLLECT_SIGNATURE') && !order.currentSignature;
  const current = step < finish ? items[step] : undefined;
  // The server has the last word on the handover: enabled only when it lists nothing, and only
  // once it has seen every change made here.
  const blockedBy = reasons.length > 0 ? 'blockers' : pending > 0 ? 'pending' : null;

  async function complete() {
    if (busy || !order) return;
    setBusy(true);
    setError(null);
    try {
      const { completeHandover: payload } = await client.request(CompleteHandoverMutation, {
        input: {
          orderId: order.id,
          version: order.version,
          customerIssues: issues.trim(),
          clientMutationId: mutationKey.current,
        },
      });
      if (isErrorPayload(payload)) {
        mutationKey.current = newClientMutationId();
        if (payload.__typename === 'RuleViolationError') {
          setRefusal({ reasons: payload.reasons, seenWith: shownWith });
        } else setError(failureText(payload));
        query.refetch();
        return;
      }
      query.refetch();
    } catch (caught) {
      setError(
        caught instanceof NetworkError
          ? t('handover.offline')
          : caught instanceof GraphQLRequestError
            ? t('app.error', { message: caught.message })
            : String(caught),
      );
    } finally {
      setBusy(false);
    }
  }

  const exit = (
    <a class="button hm-exit" href={orderPath(customerId, order.id, 'checklist')}>
      <span aria-hidden="true">‹</span> {t('handover.exit')}
    </a>
  );

  return (
    <article class="handover-mode handover" aria-labelledby="handover-title">
      <header class="hm-top">
        {exit}
        <div class="hm-title">
          <h1 id="handover-title">{t('handover.title', { name: customer.name })}</h1>
          <p class="muted">
            {order.modelName} · {t('checklist.version', { version: order.checklistVersion })} ·{' '}
            {order.currentSignature ? t('handover.signed') : t('checklist.unsigned')}
          </p>
        </div>
      </header>
      <OfflineBanner />
      <StepDots items={items} blocking={open} step={step} customerId={customerId} orderId={order.id} />
      <div class="hm-body">
        {current ? (
          <>
            {blockers.length > 0 && (
              <button
                type="button"
                class="gate-line"
                data-testid="handover-gate-line"
                onClick={() => go(finish)}
              >
                <span aria-hidden="true">⚠</span> {t('handover.blockedCount', { count: blockers.length })}
                <span aria-hidden="true"> ›</span>
              </button>
            )}
            <StaleNote pending={pending} />
          </>
        ) : (
          <HandoverGate
            blockers={blockers}
            refused={refusal !== null}
            pending={pending}
            onJump={(promiseId) => go(items.findIndex((p) => p.id === promiseId))}
          />
        )}
        {notice && (!notice.queued || waiting) && (
          <p class="success" role="status">
            {notice.text}
          </p>
        )}
        {current ? (
          <section
            class="card big-card"
            aria-labelledby="step-title"
            key={`${current.id}:${current.version}`}
          >
            <h2 id="step-title" class="step-count" tabIndex={-1} ref={heading}>
              {t('handover.stepOf', { n: step + 1, total: items.length })} ·{' '}
              {stateLabel(handoverState(current, open))}
            </h2>
            <PromiseDetails
              promise={current}
              headingLevel={3}
              badge={<StateBadge state={handoverState(current, open)} />}
            />
            <StatusPanel
              promise={current}
              customerName={customer.name}
              mayCancel={false}
              idPrefix={`handover-${step}`}
              onDone={(outcome, status) => {
                setRefusal(null);
                query.refetch();
                setNotice({
                  text:
                    outcome === 'queued'
                      ? t('checklist.queued', { name: customer.name })
                      : status === 'DEFERRED' || status === 'WAIVED'
                        ? t('handover.needsSignatureNow')
                        : t('checklist.saved'),
                  queued: outcome === 'queued',
                });
              }}
            />
            {current.status === 'DEFERRED' || current.status === 'WAIVED'
              ? maySign && (
                  <a class="button button-primary button-block" href={signHref}>
                    {t('handover.signNow', { version: order.checklistVersion })}
                  </a>
                )
              : null}
          </section>
        ) : (
          <section class="card big-card" aria-labelledby="step-title">
            <h2 id="step-title" tabIndex={-1} ref={heading}>
              {t('handover.finishTitle')}
            </h2>
            <ul class="summary-list" data-testid="handover-summary">
              {items.map((p) => (
                <li key={p.id}>
                  <span>
                    {p.description}
                    {p.due !== 'AT_HANDOVER' && <span class="muted summary-due">{dueText(p)}</span>}
                  </span>{' '}
                  <StateBadge state={handoverState(p, open)} />
                </li>
              ))}
            </ul>
            {items.length === 0 && <p class="muted">{t('checklist.empty')}</p>}
            {maySign && (
              <a class="button button-primary button-block" href={signHref}>
                {t('handover.signNow', { version: order.checklistVersion })}
              </a>
            )}
            <div class="field">
              <label for="customer-issues">{t('handover.issues')}</label>
              <textarea
                id="customer-issues"
                rows={3}
                maxLength={maxLength('journeys.handover.ISSUES_MAX')}
                value={issues}
                onInput={(e) => setIssues(e.currentTarget.value)}
              />
              <p class="cl-hint">{t('handover.issuesHint')}</p>
            </div>
            {error && (
              <p class="form-error" role="alert">
                {error}
              </p>
            )}
          </section>
        )}
      </div>
      <div class="hm-bar">
        {step === finish && blockedBy && (
          <p class="cl-hint" id="complete-blocked">
            {blockedBy === 'blockers' ? t('handover.completeBlocked') : t('handover.completeAfterSync')}
          </p>
        )}
        <button type="button" class="button" disabled={step === 0} onClick={() => go(step - 1)}>
          <span aria-hidden="true">‹</span> {t('handover.previous')}
        </button>
        {step < finish ? (
          <button type="button" class="button button-primary" onClick={() => go(step + 1)}>
            {step + 1 === finish ? t('handover.toFinish') : t('handover.next')}{' '}
            <span aria-hidden="true">›</span>
          </button>
        ) : (
          <button
            type="button"
            class="button button-primary"
            disabled={busy || !can(user, 'COMPLETE_HANDOVER') || blockedBy !== null}
            aria-describedby={blockedBy ? 'complete-blocked' : undefined}
            onClick={complete}
          >
            {busy ? t('checklist.saving') : t('handover.complete')}
          </button>
        )}
      </div>
    </article>
  );
}

function Delivered({ order, customerId, name }: { order: ChecklistOrder; customerId: string; name: string }) {
  const delivery = order.delivery;
  return (
    <article class="screen handover-done" aria-labelledby="done-title">
      <OfflineBanner />
      <div class="done-mark" aria-hidden="true">
        ✓
      </div>
      <h1 id="done-title">{t('handover.doneTitle')}</h1>
      <p class="done-lead">{t('handover.doneLead', { name, model: order.modelName })}</p>
      <dl class="cl-facts card">
        {delivery?.completedAt && (
          <>
            <dt>{t('handover.doneAt')}</dt>
            <dd>{formatDateTime(delivery.completedAt)}</dd>
          </>
        )}
        {delivery?.finalSignature && (
          <>
            <dt>{t('handover.doneList')}</dt>
            <dd>
              {t('checklist.version', { version: delivery.finalSignature.checklistVersion })} ·{' '}
              <code>{delivery.finalSignature.contentHash.slice(0, 12)}</code>
            </dd>
          </>
        )}
        {delivery?.firstServiceOn && (
          <>
            <dt>{t('handover.firstService')}</dt>
            <dd>{formatCalendarDate(delivery.firstServiceOn)}</dd>
          </>
        )}
        {delivery?.customerIssues && (
          <>
            <dt>{t('handover.issuesPassed')}</dt>
            <dd>{delivery.customerIssues}</dd>
          </>
        )}
      </dl>
      <p class="muted">{t('handover.nextSteps')}</p>
      <HandoverLearning customerId={customerId} />
      <a class="button button-block" href={`/customers/${encodeURIComponent(customerId)}`}>
        {t('handover.toRecord')}
      </a>
      <a class="button button-block" href={orderPath(customerId, order.id, 'checklist')}>
        {t('handover.toChecklist')}
      </a>
    </article>
  );
}
