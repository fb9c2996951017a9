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

export const RuleViolationErrorFields = graphql(`
  fragment RuleViolationErrorFields on RuleViolationError { message reasons { code message subjectId } }
`);

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
