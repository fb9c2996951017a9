import { mutationErrors } from '../../lib/error-fragments';
import { graphql } from '../../lib/graphql';

export const SettingsQuery = graphql(`
  query Settings {
    pushPublicKey
    myDevices { id userAgent createdAt lastSuccessAt lastFailureAt pushService }
    alertPreferences { quietHoursStart quietHoursEnd language }
  }
`);

export const SubscribePushMutation = graphql(
  `
  mutation SubscribePush($input: SubscribePushInput!) {
    subscribePush(input: $input) {
      __typename
      ... on SubscribePushSuccess { device { id } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);

export const UnsubscribePushMutation = graphql(`
  mutation UnsubscribePush($input: UnsubscribePushInput!) {
    unsubscribePush(input: $input) {
      __typename
    }
  }
`);

export const UpdateQuietHoursMutation = graphql(
  `
  mutation UpdateQuietHours($input: UpdateAlertPreferencesInput!) {
    updateAlertPreferences(input: $input) {
      __typename
      ... on UpdateAlertPreferencesSuccess { preferences { quietHoursStart quietHoursEnd language } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);

export const MySessionsQuery = graphql(`
  query MySessions {
    mySessions { id createdAt expiresAt current }
  }
`);

export const RevokeSessionMutation = graphql(
  `
  mutation RevokeSession($input: RevokeSessionInput!) {
    revokeSession(input: $input) {
      __typename
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);

export const ChangePasswordMutation = graphql(
  `
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      __typename
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);
