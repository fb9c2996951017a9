import { render } from 'preact';
import { App, preloadFirstScreen } from './app/App';
import { startQueueSync } from './app/queue-sync';
import { client } from './lib/graphql';
import './styles.css';

preloadFirstScreen(window.location.pathname);

const root = document.getElementById('app');
if (root) render(<App />, root);

// Changes left queued by an earlier visit are replayed once the first screen is up: replaying
// opens IndexedDB and reads the whole queue, work the first render should not wait behind.
whenIdle(() => startQueueSync(client));

if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
      console.error('service worker registration failed', error);
    });
  });
}

/** After the page has loaded and the main thread is free (Safari has no requestIdleCallback). */
function whenIdle(task: () => void): void {
  const later = () =>
    'requestIdleCallback' in window ? requestIdleCallback(task, { timeout: 2000 }) : setTimeout(task, 200);
  if (document.readyState === 'complete') later();
  else window.addEventListener('load', later, { once: true });
}
