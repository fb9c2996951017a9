/** Promise checklist (承诺清单) of one order: what was promised, its state, and every signed version. */

import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { type SessionUser, useSignedInUser } from '../../app/session';
import { useQueueWaiting } from '../../app/useQueueCounts';
import { can } from '../../lib/abilities';
import { formatCalendarDate, formatDateTime } from '../../lib/format';
import { type MessageKey, t } from '../../lib/i18n';
import { ErrorNotice } from '../record/ErrorNotice';
import { SignatureImage } from '../signature/SignatureImage';
import './checklist.css';
import { HandoverGate } from './HandoverGate';
import {
  blockersFrom,
  type ChecklistOrder,
  type ChecklistPromise,
  dueText,
  isSettled,
  listed,
  orderPath,
  type SignedVersion,
  useOrderChecklist,
  usePendingChanges,
} from './model';
import { PromiseDetails } from './PromiseDetails';
import { PromiseForm } from './PromiseForm';
import { type MarkOutcome, StatusPanel } from './StatusPanel';
import { SubmitOrder } from './SubmitOrder';

export function Checklist() {
  const { params } = useRoute();
  const customerId = params.id ?? '';
  const orderId = params.orderId ?? '';
  const user = useSignedInUser();
  const { query, order, customer } = useOrderChecklist(customerId, orderId);
  const [notice, setNotice] = useState<{ text: string; queued: boolean } | null>(null);
  const waiting = useQueueWaiting();
  const [adding, setAdding] = useState(false);
  const pending = usePendingChanges(order, query.refetch);

  if (query.status === 'loading') return <p class="muted">{t('app.loading')}</p>;
  if (query.status === 'error') return <ErrorNotice error={query.error} onRetry={query.refetch} />;
  if (!order || !customer) return <p class="notice">{t('checklist.notFound')}</p>;

  const open = order.status === 'DRAFT' || order.status === 'SUBMITTED';
  const done = (queued: boolean) => {
    setNotice({
      text: queued ? t('checklist.queued', { name: customer.name }) : t('checklist.saved'),
      queued,
    });
    query.refetch();
  };
  const items = listed(order);
  const cancelled = order.promises.filter((p) => p.status === 'CANCELLED');

  return (
    <article class="screen checklist" aria-labelledby="checklist-title">
      <a class="back-link" href={`/customers/${encodeURIComponent(customerId)}`}>
        <span aria-hidden="true">‹</span> {customer.name}
      </a>
      <header>
        <h1 id="checklist-title">{t('checklist.title')}</h1>
        <p class="muted">
          {order.modelName} · {t(`order.status.${order.status}` as MessageKey)}
          {order.plannedDeliveryDate &&
            order.status !== 'DELIVERED' &&
            ` · ${t('checklist.plannedDelivery', { date: formatCalendarDate(order.plannedDeliveryDate) })}`}
        </p>
      </header>
      <VersionLine order={order} />
      {notice && (!notice.queued || waiting) && (
        <p class="success" role="status">
          {notice.text}
        </p>
      )}
      {order.status === 'SUBMITTED' && (
        <HandoverGate summary blockers={blockersFrom(order.handoverBlockers, order)} pending={pending} />
      )}
      <Actions order={order} user={user} customerId={customerId} empty={items.length === 0} />
      {order.status === 'DRAFT' && can(user, 'MANAGE_ORDER') && (
        <SubmitOrder
          order={order}
          customerId={customerId}
          onSubmitted={(specialist) => {
            if (specialist)
              setNotice({ text: t('checklist.submit.done', { name: specialist }), queued: false });
            query.refetch();
          }}
        />
      )}
      {can(user, 'MANAGE_ORDER') && open && !adding && (
        <button type="button" class="button button-block" onClick={() => setAdding(true)}>
          <span aria-hidden="true">＋</span> {t('checklist.add')}
        </button>
      )}
      {adding && (
        <PromiseForm
          orderId={order.id}
          customerName={customer.name}
          signed={order.currentSignature !== null}
          onCancel={() => setAdding(false)}
          onDone={(queued) => {
            setAdding(false);
            done(queued);
          }}
        />
      )}
      <section aria-labelledby="promises-title">
        <h2 id="promises-title">{t('checklist.promises', { count: items.length })}</h2>
        {items.length === 0 ? (
          <p class="empty" data-testid="no-promises">
            {t('checklist.empty')}
          </p>
        ) : (
          <ul class="card-list" data-testid="checklist">
            {items.map((promise) => (
              <PromiseCard
                key={`${promise.id}:${promise.version}`}
                promise={promise}
                order={order}
                user={user}
                customerName={customer.name}
                onDone={done}
              />
            ))}
          </ul>
        )}
      </section>
      {cancelled.length > 0 && (
        <details class="card">
          <summary>{t('checklist.cancelledCount', { count: cancelled.length })}</summary>
          <ul class="plain-list">
            {cancelled.map((p) => (
              <li key={p.id}>
                <s>{p.description}</s>
              </li>
            ))}
          </ul>
        </details>
      )}
      <SignedVersions signatures={order.signatures} />
    </article>
  );
}

function VersionLine({ order }: { order: ChecklistOrder }) {
  const signature = order.currentSignature;
  return (
    <p class={`version-line ${signature ? 'version-signed' : 'version-unsigned'}`} data-testid="version-line">
      <strong>{t('checklist.version', { version: order.checklistVersion })}</strong>
      {' · '}
      {signature
        ? t('checklist.signedBy', { name: signature.signerName, time: formatDateTime(signature.signedAt) })
        : t('checklist.unsigned')}
    </p>
  );
}

function Actions({
  order,
  user,
  customerId,
  empty,
}: {
  order: ChecklistOrder;
  user: SessionUser;
  customerId: string;
  empty: boolean;
}) {
  const open = order.status === 'DRAFT' || order.status === 'SUBMITTED';
  const mayHandover = can(user, 'COMPLETE_HANDOVER') && order.status === 'SUBMITTED';
  const maySign = can(user, 'COLLECT_SIGNATURE') && open && !order.currentSignature;
  if (!mayHandover && !maySign && order.status !== 'DELIVERED') return null;
  const signHref = `${orderPath(customerId, order.id, 'sign')}?v=${order.checklistVersion}&from=checklist`;
  return (
    <div class="action-stack">
      {maySign && (
        <a class="button button-primary button-block" href={signHref}>
          {empty ? t('checklist.signEmpty') : t('checklist.sign', { version: order.checklistVersion })}
        </a>
      )}
      {mayHandover && (
        <a
          // A new element when its emphasis changes: no colour transition half-way through.
          key={maySign ? 'handover-secondary' : 'handover-primary'}
          class={`button button-block ${maySign ? '' : 'button-primary'}`}
          href={orderPath(customerId, order.id, 'handover')}
        >
          {t('checklist.handoverMode')}
        </a>
      )}
      {order.status === 'DELIVERED' && order.delivery?.completedAt && (
        <p class="success">
          {t('checklist.delivered', { time: formatDateTime(order.delivery.completedAt) })}
        </p>
      )}
    </div>
  );
}

function PromiseCard({
  promise,
  order,
  user,
  customerName,
  onDone,
}: {
  promise: ChecklistPromise;
  order: ChecklistOrder;
  user: SessionUser;
  customerName: string;
  onDone: (queued: boolean) => void;
}) {
  const [mode, setMode] = useState<'view' | 'edit' | 'mark'>('view');
  const open = order.status === 'DRAFT' || order.status === 'SUBMITTED';
  const mayEdit = can(user, 'MANAGE_ORDER') && open && !isSettled(promise) && promise.entitlementUsed === 0;
  const mayMark = can(user, 'EDIT_PROMISES') && order.status !== 'CANCELLED' && !isSettled(promise);
  if (mode === 'edit') {
    return (
      <li>
        <PromiseForm
          orderId={order.id}
          customerName={customerName}
          promise={promise}
          signed={order.currentSignature !== null}
          onCancel={() => setMode('view')}
          onDone={(queued) => {
            setMode('view');
            onDone(queued);
          }}
        />
      </li>
    );
  }
  return (
    <li class={`card promise-card promise-${promise.status.toLowerCase()}`}>
      <PromiseDetails promise={promise} />
      {(mayEdit || mayMark) && (
        <div class="cl-row">
          {mayEdit && (
            <button type="button" class="button" onClick={() => setMode('edit')}>
              {t('checklist.edit')}
            </button>
          )}
          {mayMark && (
            <button
              type="button"
              class="button"
              aria-expanded={mode === 'mark'}
              onClick={() => setMode(mode === 'mark' ? 'view' : 'mark')}
            >
              {mode === 'mark' ? t('checklist.close') : t('checklist.mark')}
            </button>
          )}
        </div>
      )}
      {mode === 'mark' && (
        <StatusPanel
          promise={promise}
          customerName={customerName}
          mayCancel={can(user, 'MANAGE_ORDER')}
          idPrefix={`mark-${promise.id.replace(/[^\w-]/g, '')}`}
          onDone={(outcome: MarkOutcome) => {
            setMode('view');
            onDone(outcome === 'queued');
          }}
        />
      )}
    </li>
  );
}

function SignedVersions({ signatures }: { signatures: readonly SignedVersion[] }) {
  if (signatures.length === 0) return null;
  return (
    <section aria-labelledby="versions-title">
      <h2 id="versions-title">{t('checklist.signedVersions')}</h2>
      <ul class="card-list">
        {signatures.map((s) => (
          <li key={s.id}>
            <details class="card signed-version">
              <summary>
                {t('checklist.version', { version: s.checklistVersion })} · {s.signerName} ·{' '}
                {formatDateTime(s.signedAt)}
              </summary>
              <SignatureImage
                strokes={s.strokes}
                label={t('checklist.signatureOf', { name: s.signerName })}
              />
              <p class="muted">
                {t('checklist.witness', { name: s.witness.displayName })} · {t('checklist.hash')}{' '}
                <code>{s.contentHash.slice(0, 12)}</code>
              </p>
              {s.noPromises ? (
                <p>{t('checklist.signedEmpty')}</p>
              ) : (
                <ul class="plain-list">
                  {s.promises.map((p) => (
                    <li key={p.id}>
                      {p.waived ? <s>{p.description}</s> : p.description}
                      <span class="muted">
                        {' '}
                        · {t(`promise.category.${p.category}` as MessageKey)} · {dueText(p)}
                        {p.waived && ` · ${t('promise.status.WAIVED')}`}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
