/**
 * The private calendar address (日历订阅): my car bookings and task deadlines in the phone's
 * calendar app. The address is shown once when made; a new one or "stop" ends the old.
 */

import { useState } from 'preact/hooks';
import { useCachedQuery } from '../../app/useCachedQuery';
import { mutationErrors } from '../../lib/error-fragments';
import { formatDateTime } from '../../lib/format';
import { client, graphql, isErrorPayload } from '../../lib/graphql';
import { t } from '../../lib/i18n';

const MyCalendarFeedQuery = graphql(`
  query MyCalendarFeed { myCalendarFeed { id createdAt } }
`);

const IssueCalendarFeedMutation = graphql(
  `
  mutation IssueCalendarFeed($input: CalendarFeedInput!) {
    issueCalendarFeed(input: $input) {
      __typename
      ... on CalendarFeedSuccess { url feed { id createdAt } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);

const RevokeCalendarFeedMutation = graphql(
  `
  mutation RevokeCalendarFeed($input: CalendarFeedInput!) {
    revokeCalendarFeed(input: $input) {
      __typename
      ... on CalendarFeedSuccess { feed { id revokedAt } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);

export function CalendarFeed() {
  const feed = useCachedQuery('myCalendarFeed', MyCalendarFeedQuery);
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function issue() {
    try {
      const payload = (await client.request(IssueCalendarFeedMutation, { input: {} })).issueCalendarFeed;
      if (isErrorPayload(payload)) throw new Error(payload.message);
      setUrl(payload.url ? new URL(payload.url, window.location.origin).toString() : null);
      setError(null);
      feed.refetch();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }

  async function revoke() {
    try {
      const payload = (await client.request(RevokeCalendarFeedMutation, { input: {} })).revokeCalendarFeed;
      if (isErrorPayload(payload)) throw new Error(payload.message);
      setUrl(null);
      feed.refetch();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }

  const active = feed.status === 'ready' ? feed.data.myCalendarFeed : null;
  return (
    <section class="settings-card" aria-labelledby="calendar-title">
      <h2 id="calendar-title">{t('settings.calendar.title')}</h2>
      <p class="muted">{t('settings.calendar.explain')}</p>
      {url && (
        <p>
          <label for="calendar-url">{t('settings.calendar.url')}</label>
          <input
            id="calendar-url"
            class="calendar-url"
            readOnly
            value={url}
            onFocus={(e) => e.currentTarget.select()}
          />
        </p>
      )}
      {active && !url && (
        <p class="muted">{t('settings.calendar.since', { time: formatDateTime(active.createdAt) })}</p>
      )}
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="button" class="button button-block" onClick={issue}>
        {active ? t('settings.calendar.renew') : t('settings.calendar.create')}
      </button>
      {active && (
        <button type="button" class="button button-block" onClick={revoke}>
          {t('settings.calendar.revoke')}
        </button>
      )}
    </section>
  );
}
