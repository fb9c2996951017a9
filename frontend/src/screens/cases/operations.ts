import { mutationErrors } from '../../lib/error-fragments';
import { graphql } from '../../lib/graphql';

/** A case as lists show it: who owns it and its escalation clock. */
export const CaseCardFields = graphql(`
  fragment CaseCardFields on Case {
    id
    summary
    state
    level
    levelDueAt
    ownerDepartment
    createdAt
    closedAt
    touchpoint { id name stage }
    customer { id name }
    owner { id displayName }
    holders { id displayName }
  }
`);

export const MyCasesQuery = graphql(
  `
  query MyCases {
    myCases { ...CaseCardFields }
  }
`,
  [CaseCardFields],
);

/** A customer's cases, for the record (a store manager's first look). */
export const CustomerCasesQuery = graphql(
  `
  query CustomerCases($customerId: ID!) {
    customerCases(customerId: $customerId) { ...CaseCardFields }
  }
`,
  [CaseCardFields],
);

export const CaseDetailQuery = graphql(
  `
  query CaseDetail($id: ID!) {
    node(id: $id) {
      __typename
      ... on Case {
        ...CaseCardFields
        version
        source
        resolution
        resolvedLevel
        confirmedBy
        confirmedVia
        reopenableUntil
        viewerCanClose
        raisedBy { id displayName }
        touchpoint { id name collaboratingDepartments }
        collaborators { department user { id displayName } }
        comments { text at author { id displayName } }
        held { level department seconds user { id displayName } }
      }
    }
  }
`,
  [CaseCardFields],
);

export const CaseDraftQuery = graphql(`
  query CaseDraft($customerId: ID!) {
    caseDraft(customerId: $customerId) {
      suggested { id }
      touchpoints { id number name stage ownerDepartment }
    }
  }
`);

export const JourneyMapQuery = graphql(`
  query JourneyMap {
    journeyMap {
      openCases
      touchpoint {
        id
        number
        name
        stage
        crossDepartment
        ownerDepartment
        collaboratingDepartments
        owner { id displayName }
      }
    }
  }
`);

export const RaiseCaseMutation = graphql(
  `
  mutation RaiseCase($input: RaiseCaseInput!) {
    raiseCase(input: $input) {
      __typename
      ... on CaseSuccess { case { id } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);

export const CommentOnCaseMutation = graphql(
  `
  mutation CommentOnCase($input: CommentOnCaseInput!) {
    commentOnCase(input: $input) {
      __typename
      ... on CaseSuccess { case { id } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);

export const AddCaseCollaboratorMutation = graphql(
  `
  mutation AddCaseCollaborator($input: AddCaseCollaboratorInput!) {
    addCaseCollaborator(input: $input) {
      __typename
      ... on CaseSuccess { case { id } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);

export const CloseCaseMutation = graphql(
  `
  mutation CloseCase($input: CloseCaseInput!) {
    closeCase(input: $input) {
      __typename
      ... on CaseSuccess { case { id } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);

export const ReassignCaseMutation = graphql(
  `
  mutation ReassignCase($input: ReassignCaseInput!) {
    reassignCase(input: $input) {
      __typename
      ... on CaseSuccess { case { id } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);
