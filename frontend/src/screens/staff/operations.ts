import { mutationErrors } from '../../lib/error-fragments';
import { graphql } from '../../lib/graphql';

export const StoreStaffQuery = graphql(`
  query StoreStaff($storeId: ID!) {
    storeStaff(storeId: $storeId) { id displayName role }
  }
`);

export const DeactivateStaffMutation = graphql(
  `
  mutation DeactivateStaff($input: DeactivateStaffInput!) {
    deactivateStaff(input: $input) {
      __typename
      ... on DeactivateStaffSuccess { user { id isActive } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);
