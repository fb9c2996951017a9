import { graphql } from '../../lib/graphql';

export const CheckInMutation = graphql(`
  mutation CheckIn($input: CheckInForServiceInput!) {
    checkInForService(input: $input) {
      __typename
      ... on CheckInSuccess { visit { id } }
      ... on ValidationError { message fields { path message code } }
      ... on NotFoundError { message }
      ... on ForbiddenError { message }
      ... on ConflictError { message }
      ... on RuleViolationError { message }
    }
  }
`);

export const RecordEntitlementUseMutation = graphql(`
  mutation RecordEntitlementUse($input: RecordEntitlementUseInput!) {
    recordEntitlementUse(input: $input) {
      __typename
      ... on RecordEntitlementUseSuccess { promise { id entitlementRemaining } }
      ... on ValidationError { message fields { path message code } }
      ... on NotFoundError { message }
      ... on ForbiddenError { message }
      ... on ConflictError { message }
      ... on RuleViolationError { message reasons { code message subjectId } }
    }
  }
`);
