/** The manager's monthly car settlement: fee, damage, the net transfer, utilisation, loaners met. */

import { useMemo, useState } from 'preact/hooks';
import { useCachedQuery } from '../../app/useCachedQuery';
import { formatDateTime } from '../../lib/format';
import { type MessageKey, t } from '../../lib/i18n';
import { ErrorNotice } from '../record/ErrorNotice';
import './cars.css';
import { CarSettlementQuery } from './operations';

/** "2026-10" for the month before the one of `now` (the last month that has ended). */
export function lastMonth(now: Date = new Date()): string {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  first.setUTCMonth(first.getUTCMonth() - 1);
  return first.toISOString().slice(0, 7);
}

const percent = (value: number | null | undefined) => (value == null ? '—' : `${Math.round(value * 100)}%`);
const yuan = (value: number) => `¥${value.toLocaleString('en-US')}`;

export function Settlement() {
  const [month, setMonth] = useState(lastMonth);
  const found = useCachedQuery(`carSettlement:${month}`, CarSettlementQuery, { month });
  const csvUrl = useMemo(() => {
    if (found.status !== 'ready') return null;
    return URL.createObjectURL(new Blob([found.data.carSettlement.csv], { type: 'text/csv;charset=utf-8' }));
  }, [found]);

  return (
    <section class="screen cars" aria-labelledby="settlement-title">
      <h1 id="settlement-title">{t('cars.settlement.title')}</h1>
      <p>
        <a class="button" href="/cars">
          {t('cars.backToWeek')}
        </a>
      </p>
      <div class="field">
        <label for="settlement-month">{t('cars.settlement.month')}</label>
        <input
          id="settlement-month"
          type="month"
          value={month}
          max={lastMonth()}
          onChange={(e) => e.currentTarget.value && setMonth(e.currentTarget.value)}
        />
      </div>
      {found.status === 'loading' && <p class="muted">{t('app.loading')}</p>}
      {found.status === 'error' && <ErrorNotice error={found.error} onRetry={found.refetch} />}
      {found.status === 'ready' && (
        <>
          <dl class="settlement card">
            <dt>
              {t('cars.settlement.fee', {
                fee: yuan(found.data.carSettlement.usageFeeYuan),
                cars: found.data.carSettlement.feeCars.length,
              })}
            </dt>
            <dd>{yuan(found.data.carSettlement.usageTotalYuan)}</dd>
            <dt>{t('cars.settlement.net')}</dt>
            <dd class="net">{yuan(found.data.carSettlement.servicePaysSalesYuan)}</dd>
            <dt>{t('cars.settlement.utilisation')}</dt>
            <dd>
              {percent(found.data.carSettlement.utilisation)} ({t('cars.department.SALES')}{' '}
              {percent(found.data.carSettlement.salesUtilisation)}, {t('cars.department.SERVICE')}{' '}
              {percent(found.data.carSettlement.serviceUtilisation)})
            </dd>
            <dt>{t('cars.settlement.loaners')}</dt>
            <dd>
              {percent(found.data.carSettlement.loanerFulfilment)} ({found.data.carSettlement.loanersBooked}/
              {found.data.carSettlement.loanerRequests})
            </dd>
          </dl>
          {csvUrl && (
            <a class="button button-block" href={csvUrl} download={`car-settlement-${month}.csv`}>
              {t('cars.settlement.csv')}
            </a>
          )}
          <h2>{t('cars.settlement.damages')}</h2>
          {found.data.carSettlement.damages.length === 0 ? (
            <p class="muted">{t('cars.settlement.noDamage')}</p>
          ) : (
            <ul class="card-list">
              {found.data.carSettlement.damages.map((damage) => (
                <li class="card" key={`${damage.carPlate}-${damage.returnedAt}`}>
                  <span class="card-title">
                    {damage.carPlate} · {yuan(damage.amountYuan)}
                  </span>
                  <span class="card-line">
                    {t('cars.settlement.charged', {
                      from: t(`cars.department.${damage.chargedTo}` as MessageKey),
                      to: t(`cars.department.${damage.payableTo}` as MessageKey),
                    })}{' '}
                    · {formatDateTime(damage.returnedAt)}
                  </span>
                  {damage.note && <span class="card-line">{damage.note}</span>}
                </li>
              ))}
            </ul>
          )}
          <h2>{t('cars.settlement.byCar')}</h2>
          <table class="utilisation">
            <thead>
              <tr>
                <th scope="col">{t('cars.car')}</th>
                <th scope="col">{t('cars.settlement.hours')}</th>
                <th scope="col">{t('cars.settlement.rate')}</th>
              </tr>
            </thead>
            <tbody>
              {found.data.carSettlement.cars.map((row) => (
                <tr key={row.car.id}>
                  <th scope="row">
                    {row.car.plate} <span class="muted">{t(`cars.pool.${row.car.pool}` as MessageKey)}</span>
                  </th>
                  <td>
                    {Math.round(row.bookedHours)}/{Math.round(row.availableHours)}
                  </td>
                  <td>{percent(row.rate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
