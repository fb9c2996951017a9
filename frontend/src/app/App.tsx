/** The shell: language, session, routes with state in the URL, and the offline banner. */

import { useEffect } from 'preact/hooks';
import { ErrorBoundary, LocationProvider, lazy, Route, Router, useLocation } from 'preact-iso';
import { client } from '../lib/graphql';
import { language, t } from '../lib/i18n';
import { sendEarly } from '../lib/offline-store';
import type { SwMessage } from '../lib/sw-protocol';
import { Login } from '../screens/login/Login';
import { CustomerRecordQuery, customerKey, customerRecordVariables } from '../screens/record/operations';
import { AppHeader } from './AppHeader';
import { NavBar } from './NavBar';
import { OfflineBanner } from './OfflineBanner';
import { SessionProvider, useSession } from './session';

const Today = lazy(() => import('../screens/today/Today').then((m) => m.Today));
const Search = lazy(() => import('../screens/search/Search').then((m) => m.Search));
const Record = lazy(() => import('../screens/record/Record').then((m) => m.Record));
const CheckIn = lazy(() => import('../screens/checkin/CheckIn').then((m) => m.CheckIn));
const Sync = lazy(() => import('../screens/sync/Sync').then((m) => m.Sync));
const Inbox = lazy(() => import('../screens/inbox/Inbox').then((m) => m.Inbox));
const TaskLink = lazy(() => import('../screens/inbox/TaskLink').then((m) => m.TaskLink));
const Settings = lazy(() => import('../screens/settings/Settings').then((m) => m.Settings));
const Staff = lazy(() => import('../screens/staff/Staff').then((m) => m.Staff));
const Checklist = lazy(() => import('../screens/checklist/Checklist').then((m) => m.Checklist));
const SignaturePad = lazy(() => import('../screens/signature/SignaturePad').then((m) => m.SignaturePad));
const MyCases = lazy(() => import('../screens/cases/MyCases').then((m) => m.MyCases));
const CaseDetail = lazy(() => import('../screens/cases/CaseDetail').then((m) => m.CaseDetail));
const RaiseCase = lazy(() => import('../screens/cases/RaiseCase').then((m) => m.RaiseCase));
const JourneyMap = lazy(() => import('../screens/cases/JourneyMap').then((m) => m.JourneyMap));
const TeachingForm = lazy(() => import('../screens/learning/TeachingForm').then((m) => m.TeachingForm));
const Cars = lazy(() => import('../screens/cars/Cars').then((m) => m.Cars));
const Settlement = lazy(() => import('../screens/cars/Settlement').then((m) => m.Settlement));
const Handover = lazy(() => import('../screens/handover/Handover').then((m) => m.Handover));

const PUBLIC_PATHS = new Set(['/login']);
/** Handover mode (交车) is the customer's moment: no header, no tabs, nothing to tap away to. */
const FOCUSED_PATH = /^\/customers\/[^/]+\/orders\/[^/]+\/handover$/;

/**
 * The screens a shift opens the app on, fetched while the session is checked rather than after
 * it: one network round trip less before the first screen, and no suspended first render. The
 * record's query goes too (its document is in this chunk for that): otherwise it would wait for
 * the session's answer, its write to the device and the record's first render.
 */
export function preloadFirstScreen(path: string): void {
  if (path === '/') {
    void Today.preload();
    return;
  }
  const record = /^\/customers\/([^/]+)$/.exec(path);
  if (record?.[1]) {
    void Record.preload();
    const id = decodeURIComponent(record[1]);
    sendEarly(client, customerKey(id), CustomerRecordQuery, customerRecordVariables(id));
  }
}

export function App() {
  return (
    <LocationProvider>
      <SessionProvider>
        <ServiceWorkerNavigation />
        {/* keyed by language so every string re-renders on a switch */}
        <Shell key={language.value} />
      </SessionProvider>
    </LocationProvider>
  );
}

function Shell() {
  const { state } = useSession();
  const location = useLocation();
  const isPublic = PUBLIC_PATHS.has(location.path);
  const focused = FOCUSED_PATH.test(location.path);
  // The tabs and the header's bell and settings are a signed-in user's, never the login screen's.
  const chrome = !isPublic && !focused;

  useEffect(() => {
    if (state.status === 'anonymous' && !isPublic) {
      const next = location.url === '/' ? '' : `?next=${encodeURIComponent(location.url)}`;
      location.route(`/login${next}`, true);
    }
    if (state.status === 'signedIn' && isPublic) {
      location.route(safeNext(location.query.next), true);
    }
  }, [state.status, isPublic, location]);

  // Until the redirect above lands, render nothing that needs (or must not have) a user.
  const allowed = isPublic ? state.status === 'anonymous' : state.status === 'signedIn';
  if (!allowed) {
    return (
      <p class="splash" role="status">
        {t('app.loading')}
      </p>
    );
  }
  return (
    <>
      <a class="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      {chrome && <AppHeader />}
      {/* Handover mode shows it inside its own full-screen layout. */}
      {!focused && <OfflineBanner />}
      <main id="main" tabIndex={-1}>
        <ErrorBoundary onError={(error) => console.error(error)}>
          <Router>
            <Route path="/login" component={Login} />
            <Route path="/" component={Today} />
            <Route path="/search" component={Search} />
            <Route path="/customers/:id" component={Record} />
            <Route path="/customers/:id/check-in" component={CheckIn} />
            <Route path="/customers/:id/teach" component={TeachingForm} />
            <Route path="/customers/:id/orders/:orderId/checklist" component={Checklist} />
            <Route path="/customers/:id/orders/:orderId/sign" component={SignaturePad} />
            <Route path="/customers/:id/orders/:orderId/handover" component={Handover} />
            <Route path="/customers/:id/raise-case" component={RaiseCase} />
            <Route path="/cases" component={MyCases} />
            <Route path="/cases/:id" component={CaseDetail} />
            <Route path="/journey" component={JourneyMap} />
            <Route path="/sync" component={Sync} />
            <Route path="/inbox" component={Inbox} />
            <Route path="/tasks/:id" component={TaskLink} />
            <Route path="/settings" component={Settings} />
            <Route path="/staff" component={Staff} />
            <Route path="/cars" component={Cars} />
            <Route path="/cars/settlement" component={Settlement} />
            <Route default component={NotFound} />
          </Router>
        </ErrorBoundary>
      </main>
      {chrome && <NavBar />}
    </>
  );
}

/** Only same-app paths after login, never another origin. */
export function safeNext(next: string | undefined): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function NotFound() {
  return (
    <section class="screen">
      <h1>{t('app.notFound')}</h1>
      <a class="button" href="/">
        {t('app.backHome')}
      </a>
    </section>
  );
}

/** A notification click in the service worker asks the open app to show its URL. */
function ServiceWorkerNavigation() {
  const location = useLocation();
  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    const onMessage = (event: MessageEvent<SwMessage>) => {
      if (event.data?.type !== 'navigate') return;
      const url = new URL(event.data.url, window.location.origin);
      if (url.origin === window.location.origin) location.route(url.pathname + url.search + url.hash);
    };
    navigator.serviceWorker.addEventListener('message', onMessage);
    return () => navigator.serviceWorker.removeEventListener('message', onMessage);
  }, [location]);
  return null;
}
