import { mutationErrors } from '../../lib/error-fragments';
import { graphql } from '../../lib/graphql';

export const CheckInMutation = graphql(
  `
  mutation CheckIn($input: CheckInForServiceInput!) {
    checkInForService(input: $input) {
      __typename
      ... on CheckInSuccess { visit { id } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);

export const RecordEntitlementUseMutation = graphql(
  `
  mutation RecordEntitlementUse($input: RecordEntitlementUseInput!) {
    recordEntitlementUse(input: $input) {
      __typename
      ... on RecordEntitlementUseSuccess { promise { id entitlementRemaining } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);
