/** Quiet hours (免打扰): alerts wait until they end; "customer is here" still comes through. */
import { useState } from 'preact/hooks';
import { client } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { refusalText } from '../../lib/refusal';
import { UpdateQuietHoursMutation } from './operations';

export function QuietHours({ start, end, onSaved }: { start: string; end: string; onSaved: () => void }) {
  const [from, setFrom] = useState(start);
  const [to, setTo] = useState(end);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null);

  async function save(event: Event) {
    event.preventDefault();
    setBusy(true);
    setNote(null);
    try {
      const result = await client.request(UpdateQuietHoursMutation, {
        input: { quietHoursStart: from, quietHoursEnd: to },
      });
      const payload = result.updateAlertPreferences;
      if (payload.__typename === 'UpdateAlertPreferencesSuccess') {
        const saved = payload.preferences;
        setNote({
          text:
            saved.quietHoursStart === saved.quietHoursEnd
              ? t('quiet.savedNone')
              : t('quiet.saved', { start: saved.quietHoursStart, end: saved.quietHoursEnd }),
          error: false,
        });
        onSaved();
      } else {
        const reason = refusalText(payload);
        setNote({ text: t('quiet.failed', { reason }), error: true });
      }
    } catch {
      setNote({ text: t('quiet.failed', { reason: t('push.offline') }), error: true });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="settings-card" aria-labelledby="quiet-title" onSubmit={save}>
      <h2 id="quiet-title">{t('quiet.title')}</h2>
      <p class="muted">{t('quiet.explain')}</p>
      <div class="time-pair">
        <div class="field">
          <label for="quiet-start">{t('quiet.start')}</label>
          <input
            id="quiet-start"
            type="time"
            required
            value={from}
            onInput={(e) => setFrom(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="quiet-end">{t('quiet.end')}</label>
          <input
            id="quiet-end"
            type="time"
            required
            value={to}
            onInput={(e) => setTo(e.currentTarget.value)}
          />
        </div>
      </div>
      <button type="submit" class="button button-block" disabled={busy}>
        {t('quiet.save')}
      </button>
      <p class={note?.error ? 'form-error' : 'status-line'} role={note?.error ? 'alert' : 'status'}>
        {note?.text ?? ''}
      </p>
    </form>
  );
}
