/**
 * Mark a promise: fulfilled or partly (with a note or a photo from the phone's camera),
 * deferred to a new date, waived, or cancelled. Sent through the offline queue, so a mark made
 * in a dead spot of the handover bay is replayed with its clientMutationId when back online.
 */

import { useEffect, useState } from 'preact/hooks';
import { submitQueued } from '../../app/queue-sync';
import { client, NetworkError } from '../../lib/graphql';
import { type MessageKey, t } from '../../lib/i18n';
import { maxLength } from '../../lib/limits';
import { needsSignature, promiseMoves } from '../../lib/rules';
import { UploadRefused, uploadPhoto } from '../../lib/uploads';
import { type ChecklistPromise, type PromiseStatus, queueFailureText, tomorrowKey } from './model';
import { ChangePromiseStatusMutation } from './operations';

export type MarkOutcome = 'applied' | 'queued';

const WITH_EVIDENCE: ReadonlySet<PromiseStatus> = new Set(['FULFILLED', 'PARTIALLY_FULFILLED']);

// The order the choices are shown in: the promise kept first, cancelling (sales only) last.
const SHOWN_ORDER: readonly PromiseStatus[] = [
  'FULFILLED',
  'PARTIALLY_FULFILLED',
  'DEFERRED',
  'WAIVED',
  'CANCELLED',
];

/** The moves the server allows from here (`promises.allowed_moves`, exported), cancelling only
 * for whoever keeps the order's terms. */
export function choicesFor(promise: ChecklistPromise, mayCancel: boolean): PromiseStatus[] {
  const moves = promiseMoves(promise);
  return SHOWN_ORDER.filter((status) => moves.includes(status) && (status !== 'CANCELLED' || mayCancel));
}

export function StatusPanel({
  promise,
  mayCancel,
  idPrefix,
  onDone,
  initial,
  customerName,
}: {
  promise: ChecklistPromise;
  /** Names the customer if the change is refused after it was queued. */
  customerName: string | null;
  mayCancel: boolean;
  idPrefix: string;
  onDone: (outcome: MarkOutcome, status: PromiseStatus) => void;
  initial?: PromiseStatus;
}) {
  const choices = choicesFor(promise, mayCancel);
  const [status, setStatus] = useState<PromiseStatus | null>(
    initial && choices.includes(initial) ? initial : null,
  );
  const [note, setNote] = useState('');
  const [deferredTo, setDeferredTo] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [previews, setPreviews] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const urls = photos.map((file) => URL.createObjectURL(file));
    setPreviews(urls);
    return () => {
      for (const url of urls) URL.revokeObjectURL(url);
    };
  }, [photos]);

  if (choices.length === 0) return null;
  const id = (name: string) => `${idPrefix}-${name}`;
  const minDate = tomorrowKey();

  async function submit(event: Event) {
    event.preventDefault();
    if (!status || busy) return;
    if (status === 'DEFERRED' && (!deferredTo || deferredTo < minDate)) {
      setError(t('checklist.mark.needDate'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const photoIds: string[] = [];
      if (WITH_EVIDENCE.has(status) && photos.length > 0) {
        if (!navigator.onLine) throw new NetworkError('offline');
        for (const photo of photos) photoIds.push(await uploadPhoto(photo));
      }
      const outcome = await submitQueued(client, {
        label: 'queue.kind.promiseStatus',
        operation: ChangePromiseStatusMutation,
        subject: { type: 'Promise', id: promise.id, name: promise.description, customerName },
        input: {
          id: promise.id,
          version: promise.version,
          status,
          deferredTo: status === 'DEFERRED' ? deferredTo : null,
          note: note.trim(),
          photoIds,
        },
      });
      if (outcome.kind === 'refused') {
        setError(queueFailureText(outcome.failure));
        return;
      }
      onDone(outcome.kind, status);
    } catch (caught) {
      setError(
        caught instanceof NetworkError
          ? t('checklist.mark.photoNeedsNetwork')
          : caught instanceof UploadRefused
            ? t('checklist.mark.photoRefused', { reason: caught.message })
            : String(caught),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="status-panel" onSubmit={submit} aria-labelledby={id('legend')}>
      <fieldset class="cl-choices">
        <legend id={id('legend')}>{t('checklist.mark.as')}</legend>
        {choices.map((choice) => (
          <button
            key={choice}
            type="button"
            class={`button cl-choice cl-choice-${choice.toLowerCase()}`}
            aria-pressed={status === choice}
            onClick={() => {
              setStatus(choice);
              setError(null);
            }}
          >
            {t(`checklist.mark.${choice}` as MessageKey)}
          </button>
        ))}
      </fieldset>
      {status === 'DEFERRED' && (
        <div class="field">
          <label for={id('date')}>{t('checklist.mark.newDate')}</label>
          <input
            id={id('date')}
            type="date"
            min={minDate}
            required
            value={deferredTo}
            onInput={(e) => setDeferredTo(e.currentTarget.value)}
          />
        </div>
      )}
      {status && (
        <div class="field">
          <label for={id('note')}>
            {WITH_EVIDENCE.has(status) ? t('checklist.mark.evidenceNote') : t('checklist.mark.reasonNote')}
          </label>
          <textarea
            id={id('note')}
            rows={2}
            maxLength={maxLength('promises.NOTE_MAX')}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
        </div>
      )}
      {status && WITH_EVIDENCE.has(status) && (
        <div class="photo-picker">
          <label class="button" for={id('photo')}>
            <span aria-hidden="true">📷</span> {t('checklist.mark.takePhoto')}
          </label>
          <input
            id={id('photo')}
            class="cl-sr-only"
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            onChange={(e) => {
              const files = Array.from(e.currentTarget.files ?? []);
              setPhotos((current) => [...current, ...files].slice(0, 10));
              e.currentTarget.value = '';
            }}
          />
          {previews.length > 0 && (
            <ul class="thumbs">
              {previews.map((url, index) => (
                <li key={url}>
                  <img src={url} alt={t('checklist.photoAlt', { n: index + 1 })} width={64} height={64} />
                  <button
                    type="button"
                    class="button thumb-remove"
                    aria-label={t('checklist.mark.removePhoto', { n: index + 1 })}
                    onClick={() => setPhotos((current) => current.filter((_, i) => i !== index))}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {status && needsSignature(status) && <p class="cl-hint">{t('checklist.mark.needsSignature')}</p>}
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {status && (
        <button type="submit" class="button button-primary button-block" disabled={busy}>
          {busy ? t('checklist.saving') : t('checklist.mark.save')}
        </button>
      )}
    </form>
  );
}
