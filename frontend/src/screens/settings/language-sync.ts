/**
 * The language chosen on this device is also the language of my pushes and alert texts, which
 * the server writes: tell it when the two differ (once per change, quietly when offline).
 */
import { client, graphql } from '../../lib/graphql';
import { getLanguage, hasSavedLanguage, matchLanguage } from '../../lib/i18n';

export const UpdateLanguageMutation = graphql(`
  mutation UpdateLanguage($input: UpdateAlertPreferencesInput!) {
    updateAlertPreferences(input: $input) {
      __typename
      ... on UpdateAlertPreferencesSuccess { preferences { language } }
    }
  }
`);

let known: { userId: string; language: string | null } | null = null;
let sending: string | null = null;

export function syncLanguage(userId: string, profileLanguage: string): void {
  if (known?.userId !== userId) known = { userId, language: matchLanguage(profileLanguage) };
  const wanted = getLanguage();
  if (!hasSavedLanguage() || known.language === wanted || sending === wanted) return;
  sending = wanted;
  const mine = known;
  client
    .request(UpdateLanguageMutation, { input: { language: wanted } })
    .then((result) => {
      const payload = result.updateAlertPreferences;
      if (payload.__typename === 'UpdateAlertPreferencesSuccess') {
        mine.language = matchLanguage(payload.preferences.language);
      }
    })
    .catch(() => undefined)
    .finally(() => {
      sending = null;
    });
}
