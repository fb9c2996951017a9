import { mutationErrors, RuleReasonFields } from '../../lib/error-fragments';
import { graphql } from '../../lib/graphql';

/**
 * One order's promise checklist with every signed version, and what blocks its handover as the
 * server's rule says (the rule completeHandover enforces): what the three screens read.
 */
export const OrderChecklistQuery = graphql(
  `
  query OrderChecklist($customerId: ID!, $orderId: ID!) {
    customer(id: $customerId) { id name }
    order: node(id: $orderId) {
      __typename
      ... on Order {
        id
        modelName
        status
        plannedDeliveryDate
        checklistVersion
        version
        salesConsultant { displayName }
        promises {
          id
          category
          description
          due
          dueOn
          entitlementTotal
          entitlementUsed
          entitlementRemaining
          entitlementValidUntil
          status
          deferredTo
          evidenceNote
          fulfilledAt
          updatedAt
          version
          photoIds
          madeBy { displayName }
        }
        currentSignature { id checklistVersion signerName signedAt }
        handoverBlockers { ...RuleReasonFields }
        signatures {
          id
          checklistVersion
          signerName
          signedAt
          contentHash
          noPromises
          strokes
          witness { displayName }
          promises { id category description due dueOn entitlementTotal entitlementValidUntil deferredTo waived }
        }
        delivery {
          id
          status
          completedAt
          customerIssues
          firstServiceOn
          deliverySpecialist { displayName }
          finalSignature { checklistVersion contentHash }
        }
      }
    }
  }
`,
  [RuleReasonFields],
);

export function orderKey(orderId: string): string {
  return `order:${orderId}`;
}

export const AddPromiseMutation = graphql(
  `
  mutation AddPromise($input: AddPromiseInput!) {
    addPromise(input: $input) {
      __typename
      ... on PromiseSuccess { promise { id } order { id checklistVersion } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);

export const UpdatePromiseMutation = graphql(
  `
  mutation UpdatePromise($input: UpdatePromiseInput!) {
    updatePromise(input: $input) {
      __typename
      ... on PromiseSuccess { promise { id version } order { id checklistVersion } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);

export const ChangePromiseStatusMutation = graphql(
  `
  mutation ChangePromiseStatus($input: ChangePromiseStatusInput!) {
    changePromiseStatus(input: $input) {
      __typename
      ... on PromiseSuccess { promise { id status version } order { id checklistVersion } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);

export const SignChecklistMutation = graphql(
  `
  mutation SignChecklist($input: SignChecklistInput!) {
    signChecklist(input: $input) {
      __typename
      ... on SignChecklistSuccess { signature { id checklistVersion } order { id checklistVersion } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);

export const CompleteHandoverMutation = graphql(
  `
  mutation CompleteHandover($input: CompleteHandoverInput!) {
    completeHandover(input: $input) {
      __typename
      ... on CompleteHandoverSuccess { order { id status version } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);

/** Whom the order may be submitted to: the delivery specialists of the customer's store. */
export const DeliverySpecialistsQuery = graphql(`
  query DeliverySpecialists($customerId: ID!) {
    deliverySpecialists(customerId: $customerId) { id displayName }
  }
`);

/** Submit (提交订单): the server's gate is the signed list (an empty one confirmed as such). */
export const SubmitOrderMutation = graphql(
  `
  mutation SubmitOrder($input: SubmitOrderInput!) {
    submitOrder(input: $input) {
      __typename
      ... on OrderSuccess { order { id status version } }
      ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
      ...ForbiddenErrorFields ...NotFoundErrorFields
    }
  }
`,
  mutationErrors,
);
