/**
 * Staff who leave (离职交接), for store managers: name who takes over, and everything the
 * leaver holds (open tasks, orders, deliveries, pending promises, open visits) passes on at once.
 */
import { useState } from 'preact/hooks';
import { useSignedInUser } from '../../app/session';
import { useCachedQuery } from '../../app/useCachedQuery';
import { client, type ResultOfOp } from '../../lib/graphql';
import { type MessageKey, t } from '../../lib/i18n';
import { DeactivateStaffMutation, StoreStaffQuery } from './operations';
import './staff.css';

type Person = ResultOfOp<typeof StoreStaffQuery>['storeStaff'][number];
type Note = { text: string; error: boolean } | null;

export function Staff() {
  const user = useSignedInUser();
  const storeId = user.store?.id;
  if (!storeId) return <p class="muted">{t('staff.noStore')}</p>;
  return <StoreStaff storeId={storeId} myId={user.id} />;
}

function StoreStaff({ storeId, myId }: { storeId: string; myId: string }) {
  const staff = useCachedQuery(`staff-${storeId}`, StoreStaffQuery, { storeId });
  const [leaving, setLeaving] = useState<Person | null>(null);
  const [note, setNote] = useState<Note>(null);
  const people = staff.status === 'ready' ? staff.data.storeStaff : [];

  return (
    <section class="screen staff" aria-labelledby="staff-title">
      <h1 id="staff-title">{t('staff.title')}</h1>
      <p class="muted">{t('staff.explain')}</p>
      <p class={note?.error ? 'form-error' : 'status-line'} role={note?.error ? 'alert' : 'status'}>
        {note?.text ?? ''}
      </p>
      {staff.status === 'loading' && <p class="muted">{t('app.loading')}</p>}
      {staff.status === 'error' && <p class="muted">{t('staff.unavailable')}</p>}
      {leaving ? (
        <Handover
          leaver={leaving}
          colleagues={people.filter((p) => p.role === leaving.role && p.id !== leaving.id)}
          onCancel={() => setLeaving(null)}
          onDone={(text) => {
            setLeaving(null);
            setNote({ text, error: false });
            staff.refetch();
          }}
        />
      ) : (
        <ul class="staff-list" data-testid="staff-list">
          {people.map((person) => (
            <li class="staff-person" key={person.id}>
              <div>
                <p class="staff-name">{person.displayName}</p>
                <p class="muted">{t(`role.${person.role}` as MessageKey)}</p>
              </div>
              {person.id !== myId && (
                <button
                  type="button"
                  class="button"
                  aria-label={t('staff.leavesOne', { name: person.displayName })}
                  onClick={() => {
                    setNote(null);
                    setLeaving(person);
                  }}
                >
                  {t('staff.leaves')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Handover({
  leaver,
  colleagues,
  onCancel,
  onDone,
}: {
  leaver: Person;
  colleagues: Person[];
  onCancel: () => void;
  onDone: (text: string) => void;
}) {
  // Nobody is preselected: handing a person's customers to someone is a choice, never a default.
  const [successorId, setSuccessorId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const successor = colleagues.find((c) => c.id === successorId);

  async function confirm() {
    if (!successor) return;
    setBusy(true);
    setError('');
    try {
      const result = await client.request(DeactivateStaffMutation, {
        input: { userId: leaver.id, successorId: successor.id },
      });
      if (result.deactivateStaff.__typename === 'DeactivateStaffSuccess') {
        onDone(t('staff.done', { name: leaver.displayName, successor: successor.displayName }));
        return;
      }
      setError(t('staff.refused'));
    } catch {
      setError(t('staff.offline'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="settings-card staff-handover" aria-labelledby="handover-staff-title">
      <h2 id="handover-staff-title">{t('staff.handoverTitle', { name: leaver.displayName })}</h2>
      {colleagues.length === 0 ? (
        <p class="notice">{t('staff.noColleague')}</p>
      ) : (
        <div class="field">
          <label for="staff-successor">{t('staff.successor')}</label>
          <select
            id="staff-successor"
            value={successorId}
            onChange={(e) => setSuccessorId(e.currentTarget.value)}
          >
            <option value="" disabled>
              {t('staff.choose')}
            </option>
            {colleagues.map((c) => (
              <option key={c.id} value={c.id}>
                {c.displayName}
              </option>
            ))}
          </select>
        </div>
      )}
      <p class="muted">{t('staff.whatMoves')}</p>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <div class="staff-actions">
        <button type="button" class="button" onClick={onCancel}>
          {t('staff.cancel')}
        </button>
        <button type="button" class="button button-primary" disabled={busy || !successor} onClick={confirm}>
          {successor ? t('staff.confirm', { successor: successor.displayName }) : t('staff.confirmNone')}
        </button>
      </div>
    </section>
  );
}
