/**
 * What blocks the handover, as the server says: a banner naming each open promise, or "ready".
 * With changes to the order still queued on the device, the server's answer predates them: the
 * gate says so instead of guessing what the answer will be.
 */
import { t } from '../../lib/i18n';
import type { Blocker } from './model';

export function HandoverGate({
  blockers,
  refused = false,
  summary = false,
  pending,
  onJump,
}: {
  blockers: readonly Blocker[];
  /** The server has just refused the handover for these reasons. */
  refused?: boolean;
  /** A quiet note (the checklist) rather than the alert of handover mode. */
  summary?: boolean;
  /** Changes to this order queued on the device, not yet seen by the server. */
  pending: number;
  /** Go to the promise a blocker names (handover mode); plain text without it. */
  onJump?: (promiseId: string) => void;
}) {
  const stale = <StaleNote pending={pending} />;
  if (blockers.length === 0) {
    return pending > 0 ? (
      stale
    ) : (
      <p class="ready-banner" role="status">
        {t('handover.ready')}
      </p>
    );
  }
  return (
    <>
      <div
        class={summary ? 'gate-summary' : 'blocking-banner'}
        role={summary ? undefined : 'alert'}
        data-testid="handover-blockers"
      >
        <p class="blocking-title">{refused ? t('handover.refused') : t('handover.blocked')}</p>
        <ul>
          {blockers.map((blocker) => {
            const { promiseId } = blocker;
            return (
              <li key={blocker.key}>
                {promiseId && onJump ? (
                  <button type="button" class="link-button" onClick={() => onJump(promiseId)}>
                    {blocker.text}
                  </button>
                ) : (
                  blocker.text
                )}
              </li>
            );
          })}
        </ul>
      </div>
      {stale}
    </>
  );
}

/** Changes to the order still on this phone: the server's answer predates them. */
export function StaleNote({ pending }: { pending: number }) {
  if (pending === 0) return null;
  return (
    <p class="stale-banner" role="status" data-testid="handover-stale">
      {t('handover.stale', { count: pending })}
    </p>
  );
}
