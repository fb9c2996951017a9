/** What a screen shows when its data could not be read: offline without a copy, or an error. */
import { useLocation } from 'preact-iso';
import { GraphQLRequestError, NetworkError } from '../../lib/graphql';
import { t } from '../../lib/i18n';

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { path } = useLocation();
  if (error instanceof NetworkError && path.startsWith('/customers/')) {
    return <CustomerNotOnPhone onRetry={onRetry} />;
  }
  const text =
    error instanceof NetworkError
      ? t('record.unavailable')
      : error instanceof GraphQLRequestError && (error.hasCode('NOT_FOUND') || error.hasCode('FORBIDDEN'))
        ? t('record.notFound')
        : t('app.error', { message: error instanceof Error ? error.message : String(error) });
  return (
    <div class="notice" role="alert">
      <p>{text}</p>
      <button type="button" class="button" onClick={onRetry}>
        {t('app.retry')}
      </button>
    </div>
  );
}

/** Offline, a customer never opened on this phone has no copy here: say so, and lead to those that do. */
function CustomerNotOnPhone({ onRetry }: { onRetry: () => void }) {
  return (
    <div class="notice" role="alert">
      <p>
        <strong>{t('record.notOnPhoneTitle')}</strong>
      </p>
      <p>{t('record.notOnPhone')}</p>
      <a class="button button-primary button-block" href="/search">
        {t('record.toRecent')}
      </a>
      <button type="button" class="button button-block" onClick={onRetry}>
        {t('record.retryOnline')}
      </button>
    </div>
  );
}
