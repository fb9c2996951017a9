import { render } from 'preact';
import { App } from './app/App';
import { startQueueSync } from './app/queue-sync';
import { client } from './lib/graphql';
import './styles.css';

const root = document.getElementById('app');
if (root) render(<App />, root);

startQueueSync(client);

if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
      console.error('service worker registration failed', error);
    });
  });
}
