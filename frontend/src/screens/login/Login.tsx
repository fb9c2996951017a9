/** Login (登录): phone number or username, and password. The session is an HttpOnly cookie. */
import { useState } from 'preact/hooks';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { useSession } from '../../app/session';
import { client, NetworkError } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { newClientMutationId } from '../../lib/offline-queue';
import { LoginMutation } from './operations';

type FieldName = 'login' | 'password';

export function Login() {
  const session = useSession();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(
    session.state.status === 'anonymous' && session.state.expired ? t('session.expired') : null,
  );
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<FieldName, string>>>({});

  async function submit(event: Event) {
    event.preventDefault();
    const missing: Partial<Record<FieldName, string>> = {};
    if (!login.trim()) missing.login = t('login.required');
    if (!password) missing.password = t('login.required');
    setFieldErrors(missing);
    if (missing.login || missing.password) return;
    if (!navigator.onLine) {
      setError(t('login.offline'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { login: payload } = await client.request(LoginMutation, {
        input: { login: login.trim(), password, clientMutationId: newClientMutationId() },
      });
      switch (payload.__typename) {
        case 'LoginSuccess':
          await session.signedIn(payload.user);
          return;
        case 'InvalidCredentialsError':
          setError(t('login.invalid'));
          break;
        case 'RateLimitedError':
          setError(t('login.rateLimited', { seconds: payload.retryAfterSeconds }));
          break;
        case 'ValidationError': {
          const byField: Partial<Record<FieldName, string>> = {};
          for (const field of payload.fields) {
            // Paths are dotted from the mutation argument: "input.login".
            const name = field.path.split('.').pop();
            if (name === 'login' || name === 'password') byField[name] = field.message;
          }
          setFieldErrors(byField);
          setError(Object.keys(byField).length ? null : payload.message);
          break;
        }
      }
    } catch (caught) {
      setError(caught instanceof NetworkError ? t('login.offline') : t('login.failed'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="screen login">
      <header class="login-header">
        <img src="/icons/maskable-192.png" alt="" width={72} height={72} class="login-logo" />
        <h1>{t('login.title')}</h1>
        <p class="muted">{t('login.subtitle')}</p>
      </header>
      <form onSubmit={submit} noValidate>
        <Field
          name="login"
          label={t('login.login')}
          value={login}
          onInput={setLogin}
          error={fieldErrors.login}
          autoComplete="username"
        />
        <Field
          name="password"
          type="password"
          label={t('login.password')}
          value={password}
          onInput={setPassword}
          error={fieldErrors.password}
          autoComplete="current-password"
        />
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button button-primary button-block" disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
      <LanguageSwitch />
    </section>
  );
}

interface FieldProps {
  name: FieldName;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error: string | undefined;
  type?: 'text' | 'password';
  autoComplete: string;
}

function Field({ name, label, value, onInput, error, type = 'text', autoComplete }: FieldProps) {
  const id = `login-${name}`;
  const errorId = `${id}-error`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        // Preact types inputs per `type`; both kinds here take the same attributes.
        type={type as 'text'}
        value={value}
        autoComplete={autoComplete}
        autoCapitalize="none"
        spellcheck={false}
        required
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? errorId : undefined}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      {error && (
        <p id={errorId} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
