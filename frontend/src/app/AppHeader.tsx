/** The top bar: the app's name, the alerts bell with its unread count, and settings. */
import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { t } from '../lib/i18n';
import { Bell } from '../screens/inbox/Bell';
import { syncLanguage } from '../screens/settings/language-sync';
import { type SessionUser, useSession } from './session';
import './header.css';

export function AppHeader() {
  const { state } = useSession();
  // Not on the login screen: the bell and settings are a signed-in user's.
  return state.status === 'signedIn' ? <Header user={state.user} /> : null;
}

function Header({ user }: { user: SessionUser }) {
  const { path } = useLocation();
  useEffect(() => syncLanguage(user.id, user.language), [user.id, user.language]);
  return (
    <header class="app-header">
      <a href="/" class="app-header-name">
        {t('app.name')}
      </a>
      <Bell />
      <a href="/settings" class="header-button" aria-current={path === '/settings' ? 'page' : undefined}>
        <svg aria-hidden="true" viewBox="0 0 24 24" width="24" height="24">
          <path
            fill="currentColor"
            d="M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8Zm0 2c-4.42 0-8 2.24-8 5v1h16v-1c0-2.76-3.58-5-8-5Z"
          />
        </svg>
        <span class="visually-hidden">{t('settings.title')}</span>
      </a>
    </header>
  );
}
