import { ValidationErrorFields } from '../../lib/error-fragments';
import { graphql } from '../../lib/graphql';

export const LoginMutation = graphql(
  `
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      __typename
      ... on LoginSuccess {
        user {
          id
          displayName
          role
          abilities
          language
          timeZone
          store { id name timeZone }
        }
      }
      ... on InvalidCredentialsError { message }
      ... on RateLimitedError { message retryAfterSeconds }
      ...ValidationErrorFields
    }
  }
`,
  [ValidationErrorFields],
);
