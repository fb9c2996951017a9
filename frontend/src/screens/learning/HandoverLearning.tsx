/** After the handover, the delivery training: what the customer knows already, where to start. */
import { t } from '../../lib/i18n';
import { useCustomerRecord } from '../record/Record';
import { Progress, TeachNextChips, teachPath } from './Learning';

export function HandoverLearning({ customerId }: { customerId: string }) {
  const record = useCustomerRecord(customerId);
  const customer = record.status === 'ready' ? record.data.customer : null;
  return (
    <section class="record-section" aria-labelledby="handover-learning">
      <h2 id="handover-learning">{t('learning.title')}</h2>
      {customer && (
        <>
          <Progress customer={customer} />
          <TeachNextChips customer={customer} />
        </>
      )}
      <a class="button button-primary button-block" href={teachPath(customerId, 'DELIVERY_TRAINING')}>
        {t('learning.recordDeliveryTraining')}
      </a>
    </section>
  );
}
