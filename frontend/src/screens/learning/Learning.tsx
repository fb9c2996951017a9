/** The learning archive on the record (客户学习档案): progress, what to teach next, per topic
 * the level reached, who taught it and when. Shared with check-in and handover modes. */
import { formatDateTime } from '../../lib/format';
import { type MessageKey, t } from '../../lib/i18n';
import type { CustomerRecord } from '../record/operations';
import './learning.css';

type TeachNext = CustomerRecord['teachNext'][number];
type ArchiveRow = CustomerRecord['learningArchive']['edges'][number]['node'];

/** The session form; `kind` preselects one (the handover opens it for the delivery training). */
export function teachPath(customerId: string, kind?: string): string {
  const path = `/customers/${encodeURIComponent(customerId)}/teach`;
  return kind ? `${path}?kind=${encodeURIComponent(kind)}` : path;
}

function levelText(level: string | null | undefined): string {
  return level ? t(`learning.level.${level}` as MessageKey) : '';
}

export function Progress({ customer }: { customer: CustomerRecord }) {
  const { mastered, total } = customer.learningProgress;
  return (
    <p class="learning-progress">
      <meter min={0} max={Math.max(total, 1)} value={mastered} aria-hidden="true" />
      <span>{t('learning.progress', { mastered, total })}</span>
    </p>
  );
}

/** Teach-next as chips: where to continue; a topic the customer skipped asks to check. */
export function TeachNextChips({
  customer,
  heading = 'h3',
}: {
  customer: CustomerRecord;
  heading?: 'h2' | 'h3';
}) {
  const items = customer.teachNext;
  const Heading = heading;
  return (
    <div class="teach-next" data-testid="teach-next">
      <Heading class="teach-next-title">{t('learning.teachNext')}</Heading>
      {items.length === 0 ? (
        <p class="muted">{t('learning.nothingNext')}</p>
      ) : (
        <ul class="chip-list">
          {items.map((item) => (
            <TeachNextChip key={item.topic.id} item={item} />
          ))}
        </ul>
      )}
    </div>
  );
}

function TeachNextChip({ item }: { item: TeachNext }) {
  const skipped = item.skipped;
  return (
    <li class={`teach-chip${skipped ? ' teach-chip-check' : ''}`} data-topic={item.topic.name}>
      <span class="teach-chip-name">{item.topic.name}</span>
      {skipped ? (
        <span class="teach-chip-note">{t('learning.checkSkipped')}</span>
      ) : (
        item.highest && <span class="teach-chip-note">{levelText(item.highest.level)}</span>
      )}
    </li>
  );
}

export function LearningArchive({ customer, mayTeach }: { customer: CustomerRecord; mayTeach: boolean }) {
  const rows = customer.learningArchive.edges.map((edge) => edge.node);
  return (
    <>
      <Progress customer={customer} />
      <TeachNextChips customer={customer} />
      {mayTeach && (
        <a class="button button-primary button-block" href={teachPath(customer.id)}>
          {t('learning.record')}
        </a>
      )}
      {rows.length === 0 ? (
        <p class="muted">{t('learning.nothingYet')}</p>
      ) : (
        <ul class="card-list learning-archive" data-testid="learning-archive">
          {rows.map((row) => (
            <ArchiveItem key={row.topic.id} row={row} />
          ))}
        </ul>
      )}
    </>
  );
}

function ArchiveItem({ row }: { row: ArchiveRow }) {
  const { highest, latest, skipped } = row;
  return (
    <li class={`card learning-row${row.mastered ? ' learning-mastered' : ''}`}>
      <p class="card-title">
        {row.topic.name}
        {highest && <span class={`pill level-${highest.level}`}>{levelText(highest.level)}</span>}
        {row.topic.retired && <span class="pill">{t('learning.retired')}</span>}
      </p>
      {highest && (
        <p class="muted">
          {t('learning.taughtBy', { name: highest.by.displayName, when: formatDateTime(highest.at) })}
        </p>
      )}
      {latest && highest && latest !== highest && latest.at !== highest.at && (
        <p class="muted">
          {t('learning.refresher', {
            level: levelText(latest.level),
            name: latest.by.displayName,
            when: formatDateTime(latest.at),
          })}
        </p>
      )}
      {skipped && (
        <p class="learning-skipped">
          {t('learning.skippedBy', {
            reason: t(`learning.skip.${skipped.skipReason}` as MessageKey),
            name: skipped.by.displayName,
            when: formatDateTime(skipped.at),
          })}
        </p>
      )}
    </li>
  );
}
