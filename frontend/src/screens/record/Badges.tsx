/** VIP / fleet / high-priority badges, the same on search cards, tasks and the record. */
import { type MessageKey, t } from '../../lib/i18n';

export type CustomerTag = 'VIP' | 'FLEET';

export function Badges({ tags, highPriority }: { tags: readonly CustomerTag[]; highPriority: boolean }) {
  if (!highPriority && tags.length === 0) return null;
  return (
    <span class="badges">
      {highPriority && <span class="badge badge-priority">{t('badge.highPriority')}</span>}
      {tags.map((tag) => {
        const key: MessageKey = `badge.${tag}`;
        return (
          <span key={tag} class={`badge badge-${tag.toLowerCase()}`}>
            {t(key)}
          </span>
        );
      })}
    </span>
  );
}
