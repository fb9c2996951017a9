import { graphql } from '../../lib/graphql';

export const LoginMutation = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      __typename
      ... on LoginSuccess {
        user {
          id
          displayName
          role
          language
          store { name timeZone }
        }
      }
      ... on InvalidCredentialsError { message }
      ... on RateLimitedError { message retryAfterSeconds }
      ... on ValidationError { message fields { path message code } }
    }
  }
`);
