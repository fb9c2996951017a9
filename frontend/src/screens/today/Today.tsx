/**
 * Today (今日): my tasks by what needs doing now — overdue, due today, later — high-priority
 * customers first, each card with what the task is about; for service advisors, who is in the
 * workshop today.
 */

import { useState } from 'preact/hooks';
import { submitQueued } from '../../app/queue-sync';
import { useSignedInUser } from '../../app/session';
import { useCachedQuery } from '../../app/useCachedQuery';
import { useQueueWaiting } from '../../app/useQueueCounts';
import { can } from '../../lib/abilities';
import { queueFailureText } from '../checklist/model';
import '../desk.css';
import { type DueState, dueState, formatDue } from '../../lib/format';
import { client, type ResultOfOp } from '../../lib/graphql';
import { type MessageKey, t } from '../../lib/i18n';
import { maxLength } from '../../lib/limits';
import { Badges } from '../record/Badges';
import { ErrorNotice } from '../record/ErrorNotice';
import { InWorkshop } from './InWorkshop';
import { CompleteTaskMutation, MyTasksQuery } from './operations';

type Buckets = ResultOfOp<typeof MyTasksQuery>['myTasks'];
type Task = Buckets['today'][number];
type BucketName = 'overdue' | 'today' | 'upcoming';

const BUCKETS: ReadonlyArray<BucketName> = ['overdue', 'today', 'upcoming'];
const BUCKET_OF: Record<DueState, BucketName> = {
  overdue: 'overdue',
  dueNow: 'today',
  today: 'today',
  later: 'upcoming',
};

/**
 * The server's groups, regrouped by the one rule every screen words deadlines with
 * (lib/format dueState): a task a few minutes past is due now, not overdue.
 */
export function groupByDue(buckets: Buckets, now: Date = new Date()): Record<BucketName, Task[]> {
  const grouped: Record<BucketName, Task[]> = { overdue: [], today: [], upcoming: [] };
  const seen = new Set<string>();
  for (const task of [...buckets.overdue, ...buckets.today, ...buckets.upcoming]) {
    if (seen.has(task.id)) continue;
    seen.add(task.id);
    grouped[BUCKET_OF[dueState(task.dueAt, now)]].push(task);
  }
  return grouped;
}

/** High-priority customers first; otherwise the server's order (by due time) stays. */
export function byPriority(tasks: readonly Task[]): Task[] {
  return [...tasks].sort(
    (a, b) => Number(b.customer?.isHighPriority ?? false) - Number(a.customer?.isHighPriority ?? false),
  );
}

export function Today() {
  const tasks = useCachedQuery('myTasks', MyTasksQuery);
  // Completed here (sent or queued): hidden at once rather than after the next refresh.
  const [doneIds, setDoneIds] = useState<ReadonlySet<string>>(new Set());
  const [message, setMessage] = useState<{ text: string; queued: boolean } | null>(null);
  const waiting = useQueueWaiting();
  const user = useSignedInUser();

  function onCompleted(task: Task, outcome: 'applied' | 'queued') {
    setDoneIds((current) => new Set(current).add(task.id));
    // Five welcome calls read alike: the customer's name says which one was saved.
    const subject = task.customer ? `${task.customer.name} · ${taskTitle(task)}` : taskTitle(task);
    setMessage({
      text: outcome === 'applied' ? t('today.completed', { subject }) : t('today.queued', { subject }),
      queued: outcome === 'queued',
    });
    if (outcome === 'applied') tasks.refetch();
  }

  return (
    <section class="screen" aria-labelledby="today-title">
      <h1 id="today-title">{t('today.title')}</h1>
      <p class="status-line" role="status">
        {message && (!message.queued || waiting) ? message.text : ''}
      </p>
      {can(user, 'CHECK_IN') && <InWorkshop />}
      {tasks.status === 'loading' && <p class="muted">{t('app.loading')}</p>}
      {tasks.status === 'error' && <ErrorNotice error={tasks.error} onRetry={tasks.refetch} />}
      {tasks.status === 'ready' && (
        <TaskBuckets buckets={tasks.data.myTasks} doneIds={doneIds} onCompleted={onCompleted} />
      )}
    </section>
  );
}

function TaskBuckets({
  buckets,
  doneIds,
  onCompleted,
}: {
  buckets: Buckets;
  doneIds: ReadonlySet<string>;
  onCompleted: (task: Task, outcome: 'applied' | 'queued') => void;
}) {
  const grouped = groupByDue(buckets);
  const visible = BUCKETS.map((name) => ({
    name,
    tasks: byPriority(grouped[name].filter((task) => !doneIds.has(task.id))),
  })).filter((bucket) => bucket.tasks.length > 0);
  if (visible.length === 0) return <p class="empty">{t('today.empty')}</p>;
  return (
    <>
      {visible.map(({ name, tasks }) => {
        const titleKey: MessageKey = `today.${name}`;
        return (
          <section key={name} class={`bucket bucket-${name}`} aria-labelledby={`bucket-${name}`}>
            <h2 id={`bucket-${name}`}>
              {t(titleKey)} <span class="count">{tasks.length}</span>
            </h2>
            <ul class="card-list">
              {tasks.map((task) => (
                <TaskCard key={task.id} task={task} onCompleted={onCompleted} />
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}

/** The kind in the user's language; the server's subject (Chinese) when the kind is new to us. */
function taskTitle(task: Task): string {
  const key = `task.kind.${task.kind}` as MessageKey;
  const label = t(key);
  return label === key ? task.subject : label;
}

const DUE_CLASS: Record<DueState, string> = {
  overdue: 'overdue',
  dueNow: 'due-now',
  today: 'muted',
  later: 'muted',
};

function TaskCard({
  task,
  onCompleted,
}: {
  task: Task;
  onCompleted: (task: Task, outcome: 'applied' | 'queued') => void;
}) {
  const [completing, setCompleting] = useState(false);
  const state = dueState(task.dueAt);
  const title = taskTitle(task);
  const body = (
    <>
      <span class="card-title">{title}</span>
      {task.customer && (
        <span class="card-line">
          {task.customer.name}{' '}
          <Badges tags={task.customer.tags} highPriority={task.customer.isHighPriority} />
        </span>
      )}
      {task.details.length > 0 && (
        <ul class="task-details" aria-label={t('today.details')}>
          {task.details.map((detail) => (
            <li key={detail}>{detail}</li>
          ))}
        </ul>
      )}
      <span class={`card-line ${DUE_CLASS[state]}`} data-due-state={state}>
        {formatDue(task.dueAt)}
      </span>
    </>
  );
  return (
    <li class={`card task-card${task.customer?.isHighPriority ? ' card-priority' : ''}`}>
      <div class="task-row">
        {task.customer ? (
          <a class="card-link" href={`/customers/${encodeURIComponent(task.customer.id)}`}>
            {body}
          </a>
        ) : (
          <div class="card-link">{body}</div>
        )}
        {!completing && (
          <button type="button" class="button" onClick={() => setCompleting(true)}>
            {t('today.complete')}
            <span class="visually-hidden">{t('today.completeWhich', { subject: title })}</span>
          </button>
        )}
      </div>
      {completing && (
        <CompleteForm
          task={task}
          title={title}
          onCancel={() => setCompleting(false)}
          onDone={(outcome) => onCompleted(task, outcome)}
        />
      )}
    </li>
  );
}

/** Kinds whose outcome is one of a few (tasks.OUTCOMES on the server). */
const FIXED_OUTCOMES: Record<string, readonly string[]> = {
  three_way_intro: ['held', 'intro_videos_sent'],
};

function CompleteForm({
  task,
  title,
  onCancel,
  onDone,
}: {
  task: Task;
  title: string;
  onCancel: () => void;
  onDone: (outcome: 'applied' | 'queued') => void;
}) {
  const choices = FIXED_OUTCOMES[task.kind];
  const [outcome, setOutcome] = useState(choices?.[0] ?? '');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcomeError, setOutcomeError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const idBase = `complete-${task.id}`;

  async function submit(event: Event) {
    event.preventDefault();
    if (!outcome.trim()) {
      setOutcomeError(t('field.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await submitQueued(client, {
        label: 'queue.kind.completeTask',
        operation: CompleteTaskMutation,
        subject: { type: 'Task', id: task.id, name: title, customerName: task.customer?.name ?? null },
        input: { id: task.id, version: task.version, outcome: outcome.trim(), note: note.trim() },
      });
      if (result.kind === 'refused') {
        setError(t('today.refused', { reason: queueFailureText(result.failure) }));
        return;
      }
      onDone(result.kind);
    } catch (caught) {
      setError(t('today.refused', { reason: caught instanceof Error ? caught.message : String(caught) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      class="inline-form"
      onSubmit={submit}
      noValidate
      aria-label={t('today.completeLabel', { subject: title })}
    >
      {choices ? (
        <fieldset class="choice-group">
          <legend>{t('today.outcome')}</legend>
          {choices.map((choice) => (
            <label key={choice} class="choice">
              <input
                type="radio"
                name={`${idBase}-outcome`}
                value={choice}
                checked={outcome === choice}
                onChange={() => setOutcome(choice)}
              />
              {t(`today.outcome.${choice}` as MessageKey)}
            </label>
          ))}
        </fieldset>
      ) : (
        <div class="field">
          <label for={`${idBase}-outcome`}>{t('today.outcome')}</label>
          <input
            id={`${idBase}-outcome`}
            type="text"
            value={outcome}
            maxLength={maxLength('tasks.OUTCOME_MAX')}
            placeholder={t('today.outcomePlaceholder')}
            aria-invalid={outcomeError ? 'true' : undefined}
            aria-describedby={outcomeError ? `${idBase}-outcome-error` : undefined}
            onInput={(event) => {
              setOutcome(event.currentTarget.value);
              setOutcomeError(null);
            }}
          />
          {outcomeError && (
            <p id={`${idBase}-outcome-error`} class="field-error">
              {outcomeError}
            </p>
          )}
        </div>
      )}
      <div class="field">
        <label for={`${idBase}-note`}>{t('today.note')}</label>
        <textarea
          id={`${idBase}-note`}
          rows={2}
          maxLength={maxLength('tasks.NOTE_MAX')}
          value={note}
          onInput={(event) => setNote(event.currentTarget.value)}
        />
      </div>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <div class="button-row">
        <button type="button" class="button" onClick={onCancel}>
          {t('today.cancel')}
        </button>
        <button type="submit" class="button button-primary" disabled={busy}>
          {t('today.submit')}
        </button>
      </div>
    </form>
  );
}
