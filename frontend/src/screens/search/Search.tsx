/** Search (搜索): one box for a name fragment, a phone's last digits, a VIN's end or a plate. */

import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useSignedInUser } from '../../app/session';
import '../desk.css';
import { client, GraphQLRequestError, NetworkError, type ResultOfOp } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { phoneEnding } from '../../lib/phone';
import { canCheckIn } from '../checkin/roles';
import { Badges } from '../record/Badges';
import { SEARCH_PAGE, SearchCustomersQuery } from './operations';

type Connection = ResultOfOp<typeof SearchCustomersQuery>['customers'];
type Found = Connection['edges'][number]['node'];

type Results =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; query: string; customers: Found[]; endCursor: string | null; more: boolean };

/** What the server cannot answer usefully, said before asking it. */
export function checkSearch(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed) return t('search.required');
  const digits = trimmed.replace(/[\s-]/g, '');
  if (/^\d+$/.test(digits) && digits.length < 4) return t('search.tooShort');
  return null;
}

function describeError(error: unknown): string {
  if (error instanceof NetworkError) return t('search.offline');
  if (error instanceof GraphQLRequestError) {
    // VALIDATIONFAILED carries the field errors: name the rule, not the server's English.
    const field = error.errors[0]?.extensions?.fields as Array<{ code: string }> | undefined;
    if (field?.[0]?.code === 'required') return t('search.required');
    return error.errors[0]?.message ?? t('search.failed');
  }
  return t('search.failed');
}

export function Search() {
  const location = useLocation();
  const user = useSignedInUser();
  const initial = location.query.q ?? '';
  const [text, setText] = useState(initial);
  const [inputError, setInputError] = useState<string | null>(null);
  const [results, setResults] = useState<Results>({ status: 'idle' });
  const [loadingMore, setLoadingMore] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const generation = useRef(0);

  async function run(query: string, after: string | null) {
    const mine = ++generation.current;
    if (after) setLoadingMore(true);
    else setResults({ status: 'loading' });
    try {
      const data = await client.request(SearchCustomersQuery, { search: query, first: SEARCH_PAGE, after });
      if (mine !== generation.current) return;
      const found = data.customers.edges.map((edge) => edge.node);
      setResults((current) => ({
        status: 'ready',
        query,
        customers: after && current.status === 'ready' ? [...current.customers, ...found] : found,
        endCursor: data.customers.pageInfo.endCursor ?? null,
        more: data.customers.pageInfo.hasNextPage,
      }));
    } catch (error) {
      if (mine !== generation.current) return;
      if (after) setInputError(describeError(error));
      else setResults({ status: 'error', message: describeError(error) });
    } finally {
      if (mine === generation.current) setLoadingMore(false);
    }
  }

  // The query lives in the URL: back from a record returns to the same results.
  useEffect(() => {
    if (initial && !checkSearch(initial)) void run(initial.trim(), null);
    inputRef.current?.focus();
  }, []);

  function submit(event: Event) {
    event.preventDefault();
    const problem = checkSearch(text);
    setInputError(problem);
    if (problem) {
      inputRef.current?.focus();
      return;
    }
    const query = text.trim();
    location.route(`/search?q=${encodeURIComponent(query)}`, true);
    void run(query, null);
  }

  return (
    <section class="screen" aria-labelledby="search-title">
      <h1 id="search-title">{t('search.title')}</h1>
      <form class="search-form" onSubmit={submit} noValidate>
        <label for="search-input" class="search-label">
          {t('search.label')}
        </label>
        <div class="search-row">
          <input
            ref={inputRef}
            id="search-input"
            type="search"
            inputMode="text"
            enterKeyHint="search"
            autoComplete="off"
            autoCapitalize="characters"
            spellcheck={false}
            // biome-ignore lint/a11y/noAutofocus: the screen exists to type into this box
            autoFocus
            maxLength={64}
            value={text}
            placeholder={t('search.placeholder')}
            aria-invalid={inputError ? 'true' : undefined}
            aria-describedby={inputError ? 'search-error' : 'search-hint'}
            onInput={(event) => {
              setText(event.currentTarget.value);
              setInputError(null);
            }}
          />
          <button type="submit" class="button button-primary">
            {t('search.submit')}
          </button>
        </div>
        {inputError ? (
          <p id="search-error" class="field-error" role="alert">
            {inputError}
          </p>
        ) : (
          <p id="search-hint" class="muted hint">
            {t('search.hint')}
          </p>
        )}
      </form>
      <div aria-live="polite">
        {results.status === 'loading' && <p class="muted">{t('search.loading')}</p>}
        {results.status === 'error' && (
          <p class="notice" role="alert">
            {results.message}
          </p>
        )}
        {results.status === 'ready' && results.customers.length === 0 && (
          <p class="empty">{t('search.empty', { query: results.query })}</p>
        )}
      </div>
      {results.status === 'ready' && results.customers.length > 0 && (
        <>
          <ul class="card-list">
            {results.customers.map((customer) => (
              <ResultCard key={customer.id} customer={customer} checkIn={canCheckIn(user)} />
            ))}
          </ul>
          {results.more && (
            <button
              type="button"
              class="button button-block"
              disabled={loadingMore}
              onClick={() => run(results.query, results.endCursor)}
            >
              {loadingMore ? t('search.loading') : t('search.loadMore')}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function ResultCard({ customer, checkIn }: { customer: Found; checkIn: boolean }) {
  const href = `/customers/${encodeURIComponent(customer.id)}`;
  return (
    <li class={`card result-card${customer.isHighPriority ? ' card-priority' : ''}`}>
      <a class="card-link" href={href}>
        <span class="card-title">
          {customer.name} <Badges tags={customer.tags} highPriority={customer.isHighPriority} />
        </span>
        <span class="card-line muted">
          {t('search.phoneEnding', { digits: phoneEnding(customer.phone) })}
        </span>
        {customer.vehicles.length === 0 && <span class="card-line muted">{t('search.noVehicle')}</span>}
        {customer.vehicles.map((vehicle) => (
          <span key={vehicle.id} class="card-line">
            <span class="plate">{vehicle.plate ?? t('record.noPlate')}</span> {vehicle.modelName}
          </span>
        ))}
      </a>
      {checkIn && (
        <a class="button card-action" href={`${href}/check-in`}>
          {t('search.checkIn')}
        </a>
      )}
    </li>
  );
}
