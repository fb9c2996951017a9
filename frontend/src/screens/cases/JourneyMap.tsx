/** The journey map (客户旅程): a store's 33 touchpoints by stage, who owns each, open cases. */
import { useCachedQuery } from '../../app/useCachedQuery';
import '../desk.css';
import './cases.css';
import type { ResultOfOp } from '../../lib/graphql';
import { type MessageKey, t } from '../../lib/i18n';
import { ErrorNotice } from '../record/ErrorNotice';
import { BackButton } from '../record/Record';
import { departmentName } from './clock';
import { JourneyMapQuery } from './operations';

type Entry = ResultOfOp<typeof JourneyMapQuery>['journeyMap'][number];
const STAGES = ['PURCHASE', 'DELIVERY', 'USAGE', 'RENEWAL'] as const;

export function JourneyMap() {
  const map = useCachedQuery('journeyMap', JourneyMapQuery);
  return (
    <section class="screen" aria-labelledby="journey-title">
      <BackButton fallback="/cases" />
      <h1 id="journey-title">{t('journey.title')}</h1>
      <p class="muted">{t('journey.legend')}</p>
      {map.status === 'loading' && <p class="muted">{t('app.loading')}</p>}
      {map.status === 'error' && <ErrorNotice error={map.error} onRetry={map.refetch} />}
      {map.status === 'ready' &&
        STAGES.map((stage) => (
          <Stage
            key={stage}
            stage={stage}
            entries={map.data.journeyMap.filter((e) => e.touchpoint.stage === stage)}
          />
        ))}
    </section>
  );
}

function Stage({ stage, entries }: { stage: string; entries: Entry[] }) {
  if (entries.length === 0) return null;
  const open = entries.reduce((sum, entry) => sum + entry.openCases, 0);
  return (
    <section class="stage" aria-labelledby={`stage-${stage}`}>
      <h2 id={`stage-${stage}`}>
        {t(`journey.stage.${stage}` as MessageKey)} <span class="count">{open}</span>
      </h2>
      <ul class="journey-list">
        {entries.map(({ touchpoint, openCases }) => (
          <li key={touchpoint.id} class="journey-row" data-testid={`touchpoint-${touchpoint.number}`}>
            <span class="journey-number">{touchpoint.number}</span>
            <span>
              <span class="journey-name">
                {touchpoint.name}
                {touchpoint.crossDepartment && (
                  <span class="visually-hidden">{` · ${t('journey.crossDepartment')}`}</span>
                )}
                {touchpoint.crossDepartment && (
                  <span aria-hidden="true" title={t('journey.crossDepartment')}>
                    {' ⇄'}
                  </span>
                )}
              </span>
              <span class="journey-owner">
                {departmentName(touchpoint.ownerDepartment)}
                {touchpoint.owner
                  ? ` · ${touchpoint.owner.displayName}`
                  : ` · ${t('journey.supervisorOnDuty')}`}
                {touchpoint.collaboratingDepartments.length > 0 &&
                  ` · ${t('journey.with', {
                    departments: touchpoint.collaboratingDepartments
                      .map(departmentName)
                      .join(t('journey.separator')),
                  })}`}
              </span>
            </span>
            <span class="pill open-count" data-open={openCases}>
              <span class="visually-hidden">{t('journey.openCases')} </span>
              {openCases}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
