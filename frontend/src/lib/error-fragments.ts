/**
 * The failures a mutation payload can be, selected once. The schema has no common error type
 * to put one fragment on, so each error type has its own small fragment; a payload spreads them:
 *
 *   ...ValidationErrorFields ...RuleViolationErrorFields ...ConflictErrorFields
 *   ...ForbiddenErrorFields ...NotFoundErrorFields
 *
 * and passes `mutationErrors` as the fragments of its `graphql()` call. Spread all five: the
 * server refuses a document that defines a fragment it does not use.
 */
import { graphql } from './graphql';

export const ValidationErrorFields = graphql(`
  fragment ValidationErrorFields on ValidationError { message fields { path message code } }
`);

/** Why a rule says no: also what Order.handoverBlockers lists, so one shape for both. */
export const RuleReasonFields = graphql(`
  fragment RuleReasonFields on RuleReason { code message subjectId }
`);

export const RuleViolationErrorFields = graphql(
  `
  fragment RuleViolationErrorFields on RuleViolationError { message reasons { ...RuleReasonFields } }
`,
  [RuleReasonFields],
);

export const ConflictErrorFields = graphql(`
  fragment ConflictErrorFields on ConflictError { message currentVersion }
`);

export const ForbiddenErrorFields = graphql(`
  fragment ForbiddenErrorFields on ForbiddenError { message }
`);

export const NotFoundErrorFields = graphql(`
  fragment NotFoundErrorFields on NotFoundError { message }
`);

/** The error members every standard payload union has (…Payload = …Success | these five). */
export const mutationErrors = [
  ValidationErrorFields,
  RuleViolationErrorFields,
  ConflictErrorFields,
  ForbiddenErrorFields,
  NotFoundErrorFields,
] as const;
