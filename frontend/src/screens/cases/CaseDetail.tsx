/** One case: who owns it, its clock, collaborators, comments, and closing it with the
 * customer's confirmation. The owner department keeps it: handing it on is refused. */
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { useCachedQuery } from '../../app/useCachedQuery';
import '../desk.css';
import './cases.css';
import { formatDateTime } from '../../lib/format';
import { client, type ResultOfOp } from '../../lib/graphql';
import { type MessageKey, t } from '../../lib/i18n';
import { maxLength } from '../../lib/limits';
import { ErrorNotice } from '../record/ErrorNotice';
import { BackButton } from '../record/Record';
import { departmentName, escalationClock, levelName } from './clock';
import {
  AddCaseCollaboratorMutation,
  CaseDetailQuery,
  CloseCaseMutation,
  CommentOnCaseMutation,
  ReassignCaseMutation,
} from './operations';
import { send } from './submit';

type Node = NonNullable<ResultOfOp<typeof CaseDetailQuery>['node']>;
type Case = Extract<Node, { __typename: 'Case' }>;
const DEPARTMENTS = ['SALES', 'DELIVERY', 'SERVICE', 'PARTS', 'MANAGEMENT'] as const;
const CHANNELS = ['PHONE', 'IN_PERSON', 'APP'] as const;

export function CaseDetail() {
  const { params, query } = useRoute();
  const id = params.id ?? '';
  const found = useCachedQuery(`case:${id}`, CaseDetailQuery, { id });
  if (found.status === 'loading') return <p class="muted">{t('app.loading')}</p>;
  if (found.status === 'error') return <ErrorNotice error={found.error} onRetry={found.refetch} />;
  const node = found.data.node;
  if (node?.__typename !== 'Case') return <p class="notice">{t('record.notFound')}</p>;
  return <CaseView item={node as Case} justRaised={query.raised === '1'} onChange={found.refetch} />;
}

function CaseView({ item, justRaised, onChange }: { item: Case; justRaised: boolean; onChange: () => void }) {
  const clock = escalationClock(item);
  const open = item.state === 'OPEN';
  return (
    <article class="screen" aria-labelledby="case-title">
      <BackButton fallback="/cases" />
      <h1 id="case-title">{item.touchpoint.name}</h1>
      <a class="button" href={`/customers/${encodeURIComponent(item.customer.id)}`}>
        {item.customer.name}
      </a>
      {justRaised && (
        <p class="success" role="status">
          {t('cases.raised', {
            department: departmentName(item.ownerDepartment),
            name: item.owner.displayName,
          })}
        </p>
      )}
      <p class="case-summary">{item.summary}</p>
      <p class="case-meta">
        {open && (
          <span class="pill level-pill" data-level={item.level}>
            {t('cases.levelShort', { level: item.level })} {levelName(item.level)}
          </span>
        )}
        <span class={`clock clock-${clock.tone}`} data-testid="clock">
          {clock.text}
        </span>
      </p>
      <dl class="facts">
        <dt>{t('cases.owner')}</dt>
        <dd data-testid="owner">
          {departmentName(item.ownerDepartment)} · {item.owner.displayName}
        </dd>
        {open && item.holders.length > 0 && (
          <>
            <dt>{t('cases.holders')}</dt>
            <dd>{item.holders.map((h) => h.displayName).join(t('journey.separator'))}</dd>
          </>
        )}
        <dt>{t('cases.raisedBy')}</dt>
        <dd>
          {item.raisedBy.displayName} · {formatDateTime(item.createdAt)}
        </dd>
        {item.state === 'CLOSED' && (
          <>
            <dt>{t('cases.resolution')}</dt>
            <dd>{item.resolution}</dd>
            <dt>{t('cases.confirmed')}</dt>
            <dd data-testid="confirmed">
              {item.confirmedBy} · {t(`cases.via.${item.confirmedVia}` as MessageKey)}
            </dd>
          </>
        )}
      </dl>
      <Collaborators item={item} onChange={onChange} />
      <Comments item={item} onChange={onChange} />
      {open && item.viewerCanClose && <HandOn item={item} />}
      {open && item.viewerCanClose && <CloseForm item={item} onChange={onChange} />}
    </article>
  );
}

function Collaborators({ item, onChange }: { item: Case; onChange: () => void }) {
  const taken = new Set([item.ownerDepartment, ...item.collaborators.map((c) => c.department)]);
  const choices = DEPARTMENTS.filter((d) => !taken.has(d));
  const [department, setDepartment] = useState<string>(choices[0] ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function add(event: Event) {
    event.preventDefault();
    setBusy(true);
    const answer = await send(
      (clientMutationId) =>
        client
          .request(AddCaseCollaboratorMutation, {
            input: {
              caseId: item.id,
              department: department as (typeof DEPARTMENTS)[number],
              clientMutationId,
            },
          })
          .then((data) => data.addCaseCollaborator),
      () => null,
    );
    setBusy(false);
    if (answer.ok) onChange();
    else setError(answer.text);
  }

  return (
    <section class="record-section" aria-labelledby="collaborators-title">
      <h2 id="collaborators-title">{t('cases.collaborators')}</h2>
      {item.collaborators.length === 0 ? (
        <p class="muted">{t('cases.noCollaborators')}</p>
      ) : (
        <ul data-testid="collaborators">
          {item.collaborators.map((c) => (
            <li key={c.department}>
              {departmentName(c.department)} · {c.user.displayName}
            </li>
          ))}
        </ul>
      )}
      {item.state === 'OPEN' && item.viewerCanClose && choices.length > 0 && (
        <form class="search-row" onSubmit={add}>
          <label class="visually-hidden" for="collaborator-department">
            {t('cases.addCollaborator')}
          </label>
          <select
            id="collaborator-department"
            value={department}
            onChange={(event) => setDepartment(event.currentTarget.value)}
          >
            {choices.map((d) => (
              <option key={d} value={d}>
                {departmentName(d)}
              </option>
            ))}
          </select>
          <button type="submit" class="button" disabled={busy}>
            {t('cases.addCollaborator')}
          </button>
        </form>
      )}
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function Comments({ item, onChange }: { item: Case; onChange: () => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    const answer = await send(
      (clientMutationId) =>
        client
          .request(CommentOnCaseMutation, { input: { caseId: item.id, text: text.trim(), clientMutationId } })
          .then((data) => data.commentOnCase),
      () => null,
    );
    setBusy(false);
    if (answer.ok) {
      setText('');
      onChange();
    } else setError(answer.text);
  }

  return (
    <section class="record-section" aria-labelledby="comments-title">
      <h2 id="comments-title">{t('cases.comments')}</h2>
      {item.comments.length === 0 && <p class="muted">{t('cases.noComments')}</p>}
      {item.comments.map((comment) => (
        <div key={`${comment.at}-${comment.author.id}`} class="comment">
          <p class="muted">
            {comment.author.displayName} · {formatDateTime(comment.at)}
          </p>
          <p>{comment.text}</p>
        </div>
      ))}
      <form class="inline-form" onSubmit={submit}>
        <div class="field">
          <label for="comment-text">{t('cases.addComment')}</label>
          <textarea
            id="comment-text"
            rows={3}
            maxLength={maxLength('cases.COMMENT_MAX')}
            value={text}
            onInput={(event) => setText(event.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button" disabled={busy}>
          {t('cases.send')}
        </button>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}

/** Handing the case back or on is refused by the server; the answer says what to do instead. */
function HandOn({ item }: { item: Case }) {
  const [answer, setAnswer] = useState<string | null>(null);
  async function tryHandBack() {
    const result = await send(
      (clientMutationId) =>
        client
          .request(ReassignCaseMutation, {
            input: { caseId: item.id, toUserId: item.raisedBy.id, clientMutationId },
          })
          .then((data) => data.reassignCase),
      () => null,
    );
    setAnswer(result.ok ? null : result.text);
  }
  return (
    <section class="record-section" aria-labelledby="handon-title">
      <h2 id="handon-title">{t('cases.handOn.title')}</h2>
      <button type="button" class="button" onClick={tryHandBack}>
        {t('cases.handOn.back', { name: item.raisedBy.displayName })}
      </button>
      {answer && (
        <p class="notice" role="alert" data-testid="bounce-refused">
          {answer}
        </p>
      )}
    </section>
  );
}

function CloseForm({ item, onChange }: { item: Case; onChange: () => void }) {
  const [resolution, setResolution] = useState('');
  const [confirmedBy, setConfirmedBy] = useState(item.customer.name);
  const [via, setVia] = useState<(typeof CHANNELS)[number] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [bad, setBad] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const answer = await send(
      (clientMutationId) =>
        client
          .request(CloseCaseMutation, {
            input: {
              caseId: item.id,
              version: item.version,
              resolution,
              confirmedBy,
              confirmedVia: via,
              clientMutationId,
            },
          })
          .then((data) => data.closeCase),
      () => null,
    );
    setBusy(false);
    if (answer.ok) onChange();
    else {
      setError(answer.text);
      setBad(answer.fields);
    }
  }

  return (
    <form class="record-section inline-form" onSubmit={submit} noValidate aria-labelledby="close-title">
      <h2 id="close-title">{t('cases.close.title')}</h2>
      <div class="field">
        <label for="close-resolution">{t('cases.resolution')}</label>
        <textarea
          id="close-resolution"
          rows={3}
          maxLength={maxLength('cases.RESOLUTION_MAX')}
          value={resolution}
          aria-invalid={bad.has('input.resolution') ? 'true' : undefined}
          onInput={(event) => setResolution(event.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="close-confirmed-by">{t('cases.close.confirmedBy')}</label>
        <input
          id="close-confirmed-by"
          type="text"
          maxLength={maxLength('cases.CONFIRMED_BY_MAX')}
          value={confirmedBy}
          aria-invalid={bad.has('input.confirmedBy') ? 'true' : undefined}
          onInput={(event) => setConfirmedBy(event.currentTarget.value)}
        />
      </div>
      <fieldset class="choice-group" aria-invalid={bad.has('input.confirmedVia') ? 'true' : undefined}>
        <legend>{t('cases.close.via')}</legend>
        {CHANNELS.map((channel) => (
          <label key={channel} class="choice">
            <input
              type="radio"
              name="close-via"
              value={channel}
              checked={via === channel}
              onChange={() => setVia(channel)}
            />
            {t(`cases.via.${channel}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="button button-primary button-block" disabled={busy}>
        {t('cases.close.submit')}
      </button>
    </form>
  );
}
