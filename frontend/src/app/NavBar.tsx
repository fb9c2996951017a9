/** The tabs along the bottom, in thumb reach: today, cases, search and the car calendar. */
import { useLocation } from 'preact-iso';
import { t } from '../lib/i18n';

const TABS = [
  { href: '/', label: 'nav.today', icon: '☑', match: (path: string) => path === '/' },
  { href: '/cases', label: 'nav.cases', icon: '⚑', match: (path: string) => path.startsWith('/cases') },
  { href: '/search', label: 'nav.search', icon: '⌕', match: (path: string) => path.startsWith('/search') },
  { href: '/cars', label: 'nav.cars', icon: '▦', match: (path: string) => path.startsWith('/cars') },
] as const;

export function NavBar() {
  const { path } = useLocation();
  return (
    <nav class="nav-bar" aria-label={t('nav.label')}>
      {TABS.map((tab) => (
        <a key={tab.href} href={tab.href} aria-current={tab.match(path) ? 'page' : undefined}>
          <span aria-hidden="true" class="nav-icon">
            {tab.icon}
          </span>
          {t(tab.label)}
        </a>
      ))}
    </nav>
  );
}
