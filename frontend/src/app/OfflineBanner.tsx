import { formatAsOf } from '../lib/format';
import { t, tCount } from '../lib/i18n';
import { useConnectivity } from './connectivity';
import { useQueueCounts } from './useQueueCounts';

/** "offline — data from HH:MM", plus changes waiting to sync or refused on replay. */
export function OfflineBanner() {
  const { online, dataFrom } = useConnectivity();
  const { pending, failed } = useQueueCounts();
  const showOffline = !online || dataFrom !== null;
  if (!showOffline && pending === 0 && failed === 0) return null;
  return (
    <div class="banner-stack">
      {showOffline && (
        <p class="banner banner-offline" role="status">
          {dataFrom ? t('offline.banner', { time: formatAsOf(dataFrom) }) : t('offline.bannerNoData')}
        </p>
      )}
      {failed > 0 && (
        <div role="alert">
          <a class="banner banner-refused" href="/sync">
            {tCount('offline.refused', failed)}
          </a>
        </div>
      )}
      {pending > 0 && (
        <a class="banner banner-queued" href="/sync">
          {tCount('offline.queued', pending)}
        </a>
      )}
    </div>
  );
}
