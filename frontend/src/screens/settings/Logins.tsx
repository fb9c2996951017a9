/** My logins (登录设备) and my password: end a lost phone's login, change the password. */
import { useState } from 'preact/hooks';
import { useCachedQuery } from '../../app/useCachedQuery';
import { formatDateTime } from '../../lib/format';
import { client } from '../../lib/graphql';
import { type MessageKey, t } from '../../lib/i18n';
import { ChangePasswordMutation, MySessionsQuery, RevokeSessionMutation } from './operations';

type Note = { text: string; error: boolean } | null;

export function MyLogins() {
  const sessions = useCachedQuery('my-sessions', MySessionsQuery);
  const [note, setNote] = useState<Note>(null);

  async function revoke(id: string) {
    setNote(null);
    try {
      const result = await client.request(RevokeSessionMutation, { input: { id } });
      if (result.revokeSession.__typename !== 'MeSuccess') throw new Error();
      setNote({ text: t('logins.revoked'), error: false });
      sessions.refetch();
    } catch {
      setNote({ text: t('logins.revokeFailed'), error: true });
    }
  }

  return (
    <section class="settings-card" aria-labelledby="logins-title">
      <h2 id="logins-title">{t('logins.title')}</h2>
      <p class="muted">{t('logins.explain')}</p>
      <p class={note?.error ? 'form-error' : 'status-line'} role={note?.error ? 'alert' : 'status'}>
        {note?.text ?? ''}
      </p>
      {sessions.status === 'error' && <p class="muted">{t('settings.unavailable')}</p>}
      {sessions.status === 'ready' && (
        <ul class="device-list" data-testid="my-logins">
          {sessions.data.mySessions.map((login) => (
            <li class="login" key={login.id}>
              <div class="device-text">
                <p class="device-name">
                  {t('logins.since', { time: formatDateTime(login.createdAt) })}
                  {login.current && <span class="chip">{t('logins.thisOne')}</span>}
                </p>
                <p class="muted">{t('logins.until', { time: formatDateTime(login.expiresAt) })}</p>
              </div>
              {!login.current && (
                <button
                  type="button"
                  class="button"
                  aria-label={t('logins.revokeOne', { time: formatDateTime(login.createdAt) })}
                  onClick={() => revoke(login.id)}
                >
                  {t('logins.revoke')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const PASSWORD_FIELDS: Record<string, MessageKey> = {
  'input.currentPassword': 'password.wrongCurrent',
  'input.newPassword': 'password.badNew',
};

export function ChangePassword() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<Note>(null);

  async function save(event: Event) {
    event.preventDefault();
    setBusy(true);
    setNote(null);
    try {
      const result = await client.request(ChangePasswordMutation, {
        input: { currentPassword: current, newPassword: next },
      });
      const payload = result.changePassword;
      if (payload.__typename === 'MeSuccess') {
        setCurrent('');
        setNext('');
        setNote({ text: t('password.changed'), error: false });
      } else if (payload.__typename === 'ValidationError') {
        const reasons = payload.fields.map((field) => t(PASSWORD_FIELDS[field.path] ?? 'password.failed'));
        setNote({ text: reasons.join(' '), error: true });
      } else {
        setNote({ text: t('password.failed'), error: true });
      }
    } catch {
      setNote({ text: t('password.offline'), error: true });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="settings-card" aria-labelledby="password-title" onSubmit={save}>
      <h2 id="password-title">{t('password.title')}</h2>
      <div class="field">
        <label for="password-current">{t('password.current')}</label>
        <input
          id="password-current"
          type="password"
          autocomplete="current-password"
          required
          value={current}
          onInput={(e) => setCurrent(e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="password-new">{t('password.new')}</label>
        <input
          id="password-new"
          type="password"
          autocomplete="new-password"
          minLength={8}
          required
          value={next}
          onInput={(e) => setNext(e.currentTarget.value)}
        />
        <p class="muted">{t('password.rule')}</p>
      </div>
      <p class={note?.error ? 'form-error' : 'status-line'} role={note?.error ? 'alert' : 'status'}>
        {note?.text ?? ''}
      </p>
      <button type="submit" class="button button-primary button-block" disabled={busy}>
        {busy ? t('password.saving') : t('password.save')}
      </button>
    </form>
  );
}
