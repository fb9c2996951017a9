/** My cases (我的问题单): the ones I raised, own, help with or hold, each with its clock. */
import { useCachedQuery } from '../../app/useCachedQuery';
import '../desk.css';
import './cases.css';
import type { ResultOfOp } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { ErrorNotice } from '../record/ErrorNotice';
import { departmentName, escalationClock, levelName } from './clock';
import { MyCasesQuery } from './operations';

export type CaseCard = ResultOfOp<typeof MyCasesQuery>['myCases'][number];

export function MyCases() {
  const cases = useCachedQuery('myCases', MyCasesQuery);
  return (
    <section class="screen" aria-labelledby="cases-title">
      <h1 id="cases-title">{t('cases.title')}</h1>
      <a class="button button-block" href="/journey">
        {t('journey.open')}
      </a>
      {cases.status === 'loading' && <p class="muted">{t('app.loading')}</p>}
      {cases.status === 'error' && <ErrorNotice error={cases.error} onRetry={cases.refetch} />}
      {cases.status === 'ready' &&
        (cases.data.myCases.length === 0 ? (
          <p class="empty">{t('cases.empty')}</p>
        ) : (
          <ul class="card-list" data-testid="my-cases">
            {cases.data.myCases.map((item) => (
              <CaseCardItem key={item.id} item={item} />
            ))}
          </ul>
        ))}
    </section>
  );
}

export function CaseCardItem({ item }: { item: CaseCard }) {
  const clock = escalationClock(item);
  return (
    <li class="card case-card">
      <a class="card-link" href={`/cases/${encodeURIComponent(item.id)}`}>
        <span class="card-title">
          {item.customer.name} · {item.touchpoint.name}
        </span>
        <span class="card-line">{item.summary}</span>
        <span class="card-line case-meta">
          {item.state === 'OPEN' && (
            <span class="pill level-pill" data-level={item.level}>
              {t('cases.levelShort', { level: item.level })} {levelName(item.level)}
            </span>
          )}
          <span class="muted">
            {t('cases.ownedBy', {
              department: departmentName(item.ownerDepartment),
              name: item.owner.displayName,
            })}
          </span>
        </span>
        <span class={`card-line clock clock-${clock.tone}`}>{clock.text}</span>
      </a>
    </li>
  );
}
