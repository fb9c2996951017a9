/** What a screen shows when its data could not be read: offline without a copy, or an error. */
import { GraphQLRequestError, NetworkError } from '../../lib/graphql';
import { t } from '../../lib/i18n';

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry: () => void }) {
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
