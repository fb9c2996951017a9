import { mutationErrors } from '../../lib/error-fragments';
import { graphql } from '../../lib/graphql';

export const RecordTeachingSessionMutation = graphql(
  `
  mutation RecordTeachingSession($input: RecordTeachingSessionInput!) {
    recordTeachingSession(input: $input) {
      __typename
      ... on TeachingSessionSuccess { session { id } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);
