/** Raise a case (提出问题) from the record: the touchpoint the customer's stage suggests is
 * chosen already, so it is the record's button, a sentence, and "raise". */
import { useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { useCachedQuery } from '../../app/useCachedQuery';
import '../desk.css';
import './cases.css';
import { client, type ResultOfOp } from '../../lib/graphql';
import { type MessageKey, t } from '../../lib/i18n';
import { maxLength } from '../../lib/limits';
import { ErrorNotice } from '../record/ErrorNotice';
import { BackButton } from '../record/Record';
import { departmentName } from './clock';
import { CaseDraftQuery, RaiseCaseMutation } from './operations';
import { send } from './submit';

type Draft = ResultOfOp<typeof CaseDraftQuery>['caseDraft'];
const STAGES = ['PURCHASE', 'DELIVERY', 'USAGE', 'RENEWAL'] as const;

export function RaiseCase() {
  const { params } = useRoute();
  const customerId = params.id ?? '';
  const draft = useCachedQuery(`caseDraft:${customerId}`, CaseDraftQuery, { customerId });
  return (
    <section class="screen" aria-labelledby="raise-title">
      <BackButton fallback={`/customers/${encodeURIComponent(customerId)}`} />
      <h1 id="raise-title">{t('cases.raise.title')}</h1>
      {draft.status === 'loading' && <p class="muted">{t('app.loading')}</p>}
      {draft.status === 'error' && <ErrorNotice error={draft.error} onRetry={draft.refetch} />}
      {draft.status === 'ready' && <RaiseForm customerId={customerId} draft={draft.data.caseDraft} />}
    </section>
  );
}

function RaiseForm({ customerId, draft }: { customerId: string; draft: Draft }) {
  const location = useLocation();
  const [touchpointId, setTouchpointId] = useState(draft.suggested?.id ?? draft.touchpoints[0]?.id ?? '');
  const [summary, setSummary] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [summaryError, setSummaryError] = useState(false);
  const chosen = draft.touchpoints.find((tp) => tp.id === touchpointId);

  async function submit(event: Event) {
    event.preventDefault();
    if (!summary.trim()) {
      setSummaryError(true);
      return;
    }
    setBusy(true);
    setError(null);
    const answer = await send(
      (clientMutationId) =>
        client
          .request(RaiseCaseMutation, {
            input: { customerId, touchpointId, summary: summary.trim(), clientMutationId },
          })
          .then((data) => data.raiseCase),
      (success) => success.case.id,
    );
    setBusy(false);
    if (answer.ok) location.route(`/cases/${encodeURIComponent(answer.value)}?raised=1`);
    else setError(answer.text);
  }

  return (
    <form class="inline-form" onSubmit={submit} noValidate>
      <div class="field">
        <label for="raise-touchpoint">{t('cases.raise.touchpoint')}</label>
        <select
          id="raise-touchpoint"
          value={touchpointId}
          onChange={(event) => setTouchpointId(event.currentTarget.value)}
        >
          {STAGES.map((stage) => (
            <optgroup key={stage} label={t(`journey.stage.${stage}` as MessageKey)}>
              {draft.touchpoints
                .filter((tp) => tp.stage === stage)
                .map((tp) => (
                  <option key={tp.id} value={tp.id}>
                    {tp.number}. {tp.name}
                    {tp.id === draft.suggested?.id ? ` (${t('cases.raise.suggested')})` : ''}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
        {chosen && (
          <p class="muted" data-testid="lands-with">
            {t('cases.raise.landsWith', { department: departmentName(chosen.ownerDepartment) })}
          </p>
        )}
      </div>
      <div class="field">
        <label for="raise-summary">{t('cases.raise.summary')}</label>
        <textarea
          id="raise-summary"
          rows={4}
          maxLength={maxLength('cases.SUMMARY_MAX')}
          value={summary}
          // biome-ignore lint/a11y/noAutofocus: the one thing to do on this screen is to type
          autoFocus
          aria-invalid={summaryError ? 'true' : undefined}
          aria-describedby={summaryError ? 'raise-summary-error' : undefined}
          placeholder={t('cases.raise.summaryPlaceholder')}
          onInput={(event) => {
            setSummary(event.currentTarget.value);
            setSummaryError(false);
          }}
        />
        {summaryError && (
          <p id="raise-summary-error" class="field-error">
            {t('field.required')}
          </p>
        )}
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <div class="sticky-action">
        <button type="submit" class="button button-primary button-block" disabled={busy}>
          {t('cases.raise.submit')}
        </button>
      </div>
    </form>
  );
}
