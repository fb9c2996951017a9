/**
 * Search (搜索): one box for a name fragment, a phone's last digits, a VIN's end or a plate.
 * Offline, the same search runs over the customers this phone holds, said so on the screen,
 * and the customers opened here most recently are listed.
 */

import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { online } from '../../app/connectivity';
import { useSignedInUser } from '../../app/session';
import { can } from '../../lib/abilities';
import '../desk.css';
import { formatAsOf } from '../../lib/format';
import { client, GraphQLRequestError, NetworkError, type ResultOfOp } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { maxLength } from '../../lib/limits';
import { phoneEnding } from '../../lib/phone';
import { Badges } from '../record/Badges';
import { customersOnPhone, type PhoneCustomer, searchOnPhone } from './on-phone';
import { SEARCH_PAGE, SearchCustomersQuery } from './operations';

type Connection = ResultOfOp<typeof SearchCustomersQuery>['customers'];
type Found = Pick<
  Connection['edges'][number]['node'],
  'id' | 'name' | 'phone' | 'tags' | 'isHighPriority'
> & {
  vehicles: ReadonlyArray<{ id: string; plate?: string | null; modelName: string }>;
};

/** Up to a shift's worth: enough to find the customer at the desk without scrolling far. */
const RECENT_SHOWN = 8;

type Results =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; query: string; customers: Found[]; endCursor: string | null; more: boolean }
  /** Answered from the records on this phone: the server was not reachable. */
  | { status: 'onPhone'; query: string; customers: PhoneCustomer[] };

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

  async function runOnPhone(query: string, mine: number) {
    const customers = await searchOnPhone(query).catch(() => []);
    if (mine === generation.current) setResults({ status: 'onPhone', query, customers });
  }

  async function run(query: string, after: string | null) {
    const mine = ++generation.current;
    if (!after && !online.peek()) return runOnPhone(query, mine);
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
      else if (error instanceof NetworkError) await runOnPhone(query, mine);
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

  // Back online: what was answered from the phone is asked of the server.
  const isOnline = online.value;
  const onPhoneQuery = results.status === 'onPhone' ? results.query : null;
  useEffect(() => {
    if (isOnline && onPhoneQuery) void run(onPhoneQuery, null);
  }, [isOnline, onPhoneQuery]);

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
        <div class="search-row stacked">
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
            maxLength={maxLength('search.SEARCH_MAX')}
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
            {isOnline ? t('search.hint') : t('search.hintOffline')}
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
        {results.status === 'onPhone' && (
          <p class="notice on-phone" role="status">
            <strong>{t('search.onPhoneTitle')}</strong>
            {results.customers.length === 0
              ? t('search.onPhoneEmpty', { query: results.query })
              : t('search.onPhoneFound', { count: results.customers.length })}
          </p>
        )}
      </div>
      {results.status === 'onPhone' && results.customers.length > 0 && (
        <ul class="card-list" aria-label={t('search.onPhoneTitle')}>
          {results.customers.map((customer) => (
            <ResultCard
              key={customer.id}
              customer={customer}
              checkIn={can(user, 'CHECK_IN')}
              openedAt={customer.fetchedAt}
            />
          ))}
        </ul>
      )}
      {(results.status === 'idle' || (results.status === 'onPhone' && results.customers.length === 0)) && (
        <RecentCustomers checkIn={can(user, 'CHECK_IN')} offline={!isOnline} />
      )}
      {results.status === 'ready' && results.customers.length > 0 && (
        <>
          <ul class="card-list">
            {results.customers.map((customer) => (
              <ResultCard key={customer.id} customer={customer} checkIn={can(user, 'CHECK_IN')} />
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

/** The customers opened on this phone, newest first: readable offline, one tap away. */
function RecentCustomers({ checkIn, offline }: { checkIn: boolean; offline: boolean }) {
  const [recent, setRecent] = useState<PhoneCustomer[] | null>(null);
  useEffect(() => {
    let alive = true;
    customersOnPhone().then(
      (customers) => alive && setRecent(customers.slice(0, RECENT_SHOWN)),
      () => alive && setRecent([]),
    );
    return () => {
      alive = false;
    };
  }, []);
  if (recent === null || (recent.length === 0 && !offline)) return null;
  return (
    <section class="recent" aria-labelledby="recent-title">
      <h2 id="recent-title">{t('search.recentTitle')}</h2>
      <p class="muted hint">{offline ? t('search.recentOffline') : t('search.recentHint')}</p>
      {recent.length === 0 ? (
        <p class="empty">{t('search.recentNone')}</p>
      ) : (
        <ul class="card-list">
          {recent.map((customer) => (
            <ResultCard
              key={customer.id}
              customer={customer}
              checkIn={checkIn}
              openedAt={customer.fetchedAt}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function ResultCard({ customer, checkIn, openedAt }: { customer: Found; checkIn: boolean; openedAt?: Date }) {
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
        {openedAt && (
          <span class="card-line muted">{t('search.heldFrom', { time: formatAsOf(openedAt) })}</span>
        )}
      </a>
      {checkIn && (
        <a class="button card-action" href={`${href}/check-in`}>
          {t('search.checkIn')}
        </a>
      )}
    </li>
  );
}
