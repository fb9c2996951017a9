/**
 * Recording a teaching session one-handed (讲解记录): tap a level on each topic taught (tap again
 * to untick), "knows it" for one the customer asks to skip, one free note, save. Goes through
 * the offline queue with the time it was held, so a session in a car park without signal is
 * sent later and applied once.
 */

import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { submitQueued } from '../../app/queue-sync';
import { useSignedInUser } from '../../app/session';
import { can } from '../../lib/abilities';
import '../desk.css';
import { client } from '../../lib/graphql';
import { type MessageKey, t } from '../../lib/i18n';
import { maxLength } from '../../lib/limits';
import { ErrorNotice } from '../record/ErrorNotice';
import type { CustomerRecord } from '../record/operations';
import { BackButton, useCustomerRecord } from '../record/Record';
import { TeachNextChips } from './Learning';
import './learning.css';
import { RecordTeachingSessionMutation } from './operations';

const KINDS = ['DELIVERY_TRAINING', 'FIRST_SERVICE_TRAINING', 'QUARTERLY', 'AD_HOC', 'REMOTE'] as const;
type Kind = (typeof KINDS)[number];
const LEVELS = ['INTRODUCED', 'PRACTISED', 'MASTERED'] as const;
type Mark = (typeof LEVELS)[number] | 'SKIPPED';
const MARKS: ReadonlyArray<Mark> = [...LEVELS, 'SKIPPED'];

export function defaultKind(stage: string): Kind {
  if (stage === 'DELIVERY') return 'DELIVERY_TRAINING';
  if (stage === 'FIRST_SERVICE') return 'FIRST_SERVICE_TRAINING';
  return 'AD_HOC';
}

/** The topics to offer, teach-next first (in order), then the rest of the catalogue. */
export function orderedTopics(customer: CustomerRecord): CustomerRecord['learningCatalogue'] {
  const next = new Set(customer.teachNext.map((item) => item.topic.id));
  const first = customer.learningCatalogue.filter((topic) => next.has(topic.id));
  return [...first, ...customer.learningCatalogue.filter((topic) => !next.has(topic.id))];
}

export function TeachingForm() {
  const { params, query } = useRoute();
  const asked = KINDS.find((kind) => kind === query.kind);
  const id = params.id ?? '';
  const user = useSignedInUser();
  const record = useCustomerRecord(id);
  const [outcome, setOutcome] = useState<'applied' | 'queued' | null>(null);

  if (!can(user, 'RECORD_TEACHING')) return <p class="notice">{t('learning.notAllowed')}</p>;
  if (record.status === 'loading') return <p class="muted">{t('record.loading')}</p>;
  if (record.status === 'error') return <ErrorNotice error={record.error} onRetry={record.refetch} />;
  const customer = record.data.customer;
  if (!customer) return <p class="notice">{t('record.notFound')}</p>;
  const recordHref = `/customers/${encodeURIComponent(customer.id)}`;

  if (outcome) {
    return (
      <section class="screen" aria-labelledby="teach-title">
        <h1 id="teach-title">
          {t('learning.formTitle')}
          <span class="subtitle">{customer.name}</span>
        </h1>
        <p class={outcome === 'applied' ? 'success' : 'notice'} role="status">
          {outcome === 'applied'
            ? t('learning.saved', { name: customer.name })
            : t('learning.queued', { name: customer.name })}
        </p>
        {outcome === 'applied' && <TeachNextChips customer={customer} heading="h2" />}
        <a class="button button-primary button-block" href={recordHref}>
          {t('checkin.backToRecord')}
        </a>
      </section>
    );
  }
  return (
    <SessionForm
      customer={customer}
      kind={asked}
      onDone={(result) => {
        setOutcome(result);
        if (result === 'applied') record.refetch();
      }}
    />
  );
}

function SessionForm({
  customer,
  kind: askedKind,
  onDone,
}: {
  customer: CustomerRecord;
  kind: Kind | undefined;
  onDone: (outcome: 'applied' | 'queued') => void;
}) {
  const [kind, setKind] = useState<Kind>(askedKind ?? defaultKind(customer.learningProgress.stage));
  const [marks, setMarks] = useState<Record<string, Mark>>({});
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const topics = orderedTopics(customer);
  const next = new Set(customer.teachNext.map((item) => item.topic.id));
  const levelOf = new Map(
    customer.learningArchive.edges.map((edge) => [edge.node.topic.id, edge.node.highest?.level ?? null]),
  );
  const skippedBefore = new Set(customer.teachNext.filter((i) => i.skipped).map((i) => i.topic.id));
  const ticked = Object.keys(marks).length;

  function mark(topicId: string, value: Mark) {
    setMarks((current) => {
      const copy = { ...current };
      if (copy[topicId] === value) delete copy[topicId];
      else copy[topicId] = value;
      return copy;
    });
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (ticked === 0) {
      setError(t('learning.pickOne'));
      return;
    }
    setBusy(true);
    setError(null);
    const entries = Object.entries(marks);
    try {
      const result = await submitQueued(client, {
        label: 'queue.kind.teaching',
        operation: RecordTeachingSessionMutation,
        subject: { type: 'Customer', id: customer.id, name: customer.name, customerName: null },
        input: {
          customerId: customer.id,
          kind,
          taughtAt: new Date().toISOString(),
          note: note.trim(),
          topics: entries
            .filter(([, value]) => value !== 'SKIPPED')
            .map(([topicId, value]) => ({ topicId, level: value as (typeof LEVELS)[number] })),
          skipped: entries
            .filter(([, value]) => value === 'SKIPPED')
            .map(([topicId]) => ({ topicId, reason: 'KNOWS_IT' as const })),
        },
      });
      if (result.kind !== 'refused') {
        onDone(result.kind);
        return;
      }
      const detail = result.failure.detail as { fields?: { message: string }[] } | undefined;
      setError(t('learning.refused', { reason: detail?.fields?.[0]?.message ?? result.failure.message }));
    } catch (caught) {
      setError(t('learning.refused', { reason: caught instanceof Error ? caught.message : String(caught) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="screen teach-form" aria-labelledby="teach-title">
      <BackButton />
      <h1 id="teach-title">
        {t('learning.formTitle')}
        <span class="subtitle">{customer.name}</span>
      </h1>
      <form onSubmit={submit} noValidate>
        <fieldset class="segment-group">
          <legend>{t('learning.kind')}</legend>
          <div class="segments">
            {KINDS.map((value) => (
              <button
                key={value}
                type="button"
                class="button segment"
                aria-pressed={kind === value}
                onClick={() => setKind(value)}
              >
                {t(`learning.kind.${value}` as MessageKey)}
              </button>
            ))}
          </div>
        </fieldset>
        <ul class="topic-list" aria-label={t('learning.topics')}>
          {topics.map((topic) => {
            const current = levelOf.get(topic.id);
            return (
              <li key={topic.id} class={`topic-row${marks[topic.id] ? ' topic-row-ticked' : ''}`}>
                <fieldset class="topic-marks">
                  <legend class="topic-name">
                    {topic.name}
                    {next.has(topic.id) && <span class="pill pill-next">{t('learning.next')}</span>}
                    {current && <span class="pill">{t(`learning.level.${current}` as MessageKey)}</span>}
                    {skippedBefore.has(topic.id) && (
                      <span class="pill pill-check">{t('learning.checkSkipped')}</span>
                    )}
                  </legend>
                  <div class="marks">
                    {MARKS.map((value) => (
                      <button
                        key={value}
                        type="button"
                        class={`button mark mark-${value.toLowerCase()}`}
                        aria-pressed={marks[topic.id] === value}
                        onClick={() => mark(topic.id, value)}
                      >
                        {t(`learning.mark.${value}` as MessageKey)}
                      </button>
                    ))}
                  </div>
                </fieldset>
              </li>
            );
          })}
        </ul>
        <div class="field">
          <label for="teach-note">{t('learning.note')}</label>
          <textarea
            id="teach-note"
            rows={2}
            maxLength={maxLength('learning.NOTE_MAX')}
            value={note}
            onInput={(event) => setNote(event.currentTarget.value)}
          />
        </div>
        <div class="sticky-actions">
          {error && (
            <p class="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" class="button button-primary button-block" disabled={busy}>
            {busy ? t('learning.saving') : t('learning.save', { count: ticked })}
          </button>
        </div>
      </form>
    </section>
  );
}
