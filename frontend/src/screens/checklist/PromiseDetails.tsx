/** One promise as staff read it: what, which kind, when due, its status, who made it, evidence. */
import type { ComponentChildren } from 'preact';
import { formatDateTime } from '../../lib/format';
import { type MessageKey, t } from '../../lib/i18n';
import { photoUrl } from '../../lib/uploads';
import { type ChecklistPromise, dueText, statusTone } from './model';

/** The status; an entitlement still running shows its uses left instead of "pending". */
export function StatusBadge({
  promise,
}: {
  promise: Pick<ChecklistPromise, 'status' | 'due' | 'entitlementRemaining'>;
}) {
  const { status } = promise;
  if (promise.due === 'ENTITLEMENT' && (status === 'PENDING' || status === 'PARTIALLY_FULFILLED')) {
    return (
      <span class="status-badge status-deferred">
        {t('checklist.due.usesLeft', { left: promise.entitlementRemaining })}
      </span>
    );
  }
  return (
    <span class={`status-badge status-${statusTone(status)}`}>
      {t(`promise.status.${status}` as MessageKey)}
    </span>
  );
}

/** `badge` replaces the status where the screen reads the promise another way (handover mode
 * shows where it stands at the handover, so a due-later promise does not read "pending"). */
export function PromiseDetails({
  promise,
  headingLevel = 3,
  badge,
}: {
  promise: ChecklistPromise;
  headingLevel?: 2 | 3;
  badge?: ComponentChildren;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <>
      <div class="promise-head">
        <Heading class="promise-title">{promise.description}</Heading>
        {badge ?? <StatusBadge promise={promise} />}
      </div>
      <p class="promise-meta">
        <span class="category">{t(`promise.category.${promise.category}` as MessageKey)}</span>
        {' · '}
        {dueText(promise)}
      </p>
      <p class="muted promise-by">{t('checklist.madeBy', { name: promise.madeBy.displayName })}</p>
      {promise.fulfilledAt && (
        <p class="muted">{t('checklist.fulfilledAt', { time: formatDateTime(promise.fulfilledAt) })}</p>
      )}
      {promise.evidenceNote && (
        <p class="evidence-note">
          <span class="cl-sr-only">{t('checklist.evidence')}: </span>
          {promise.evidenceNote}
        </p>
      )}
      {promise.photoIds.length > 0 && (
        <ul class="thumbs" aria-label={t('checklist.photos')}>
          {promise.photoIds.map((id, index) => (
            <li key={id}>
              <a href={photoUrl(id)} target="_blank" rel="noopener">
                <img
                  src={photoUrl(id)}
                  alt={t('checklist.photoAlt', { n: index + 1 })}
                  width={64}
                  height={64}
                  loading="lazy"
                />
              </a>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
