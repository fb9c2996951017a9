import { render } from 'preact';
import { App, preloadFirstScreen } from './app/App';
import { startQueueSync } from './app/queue-sync';
import { ME_KEY, MeQuery } from './app/session';
import { openBatonDB } from './lib/db';
import { formatTime } from './lib/format';
import { client } from './lib/graphql';
import { sendEarly } from './lib/offline-store';
import './styles.css';

// The session check goes out now rather than in SessionProvider's effect, which runs only after
// the first paint; the provider's cachedQuery takes this answer.
sendEarly(client, ME_KEY, MeQuery);
preloadFirstScreen(window.location.pathname);

const root = document.getElementById('app');
if (root) render(<App />, root);

// While the session check is on the network, in idle time after the first paint: open the offline
// store (a first open creates it) and format one time (the first Intl.DateTimeFormat loads ICU's
// locale and zone data, tens of ms on a phone), so neither lands in the task showing the screen.
whenIdle(() => {
  void openBatonDB().catch(() => undefined);
  formatTime(Date.now());
});

// Changes left queued by an earlier visit are replayed once the page has loaded: replaying reads
// the whole queue and sends requests, work the first screen should not wait behind.
window.addEventListener('load', () => whenIdle(() => startQueueSync(client)), { once: true });

if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
      console.error('service worker registration failed', error);
    });
  });
}

/** When the main thread is free (Safari has no requestIdleCallback: the next task there). */
function whenIdle(task: () => void): void {
  if ('requestIdleCallback' in window) requestIdleCallback(task, { timeout: 1000 });
  else setTimeout(task, 0);
}
