/** Sending a case mutation and reading its answer in the user's language. */
import { GraphQLRequestError, isErrorPayload, NetworkError } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { newClientMutationId } from '../../lib/offline-queue';
import { type Failure, refusalText } from '../../lib/refusal';

/** A refusal as the user reads it: a known rule in this screen's words, else the server's. */
export function failureText(payload: Failure): string {
  if (!payload.reasons?.length && payload.fields?.length) return t('cases.fixFields');
  return refusalText(payload, {
    reasons: 'cases.rule',
    types: { ForbiddenError: 'cases.forbidden', NotFoundError: 'record.notFound' },
  });
}

export function thrownText(error: unknown): string {
  if (error instanceof NetworkError) return t('cases.offline');
  if (error instanceof GraphQLRequestError) return t('app.error', { message: error.message });
  return String(error);
}

export type Answer<S> = { ok: true; value: S } | { ok: false; text: string; fields: Set<string> };

/** Run one mutation; `pick` reads the payload (a success member or an error member). */
export async function send<P extends { __typename?: string }, S>(
  run: (clientMutationId: string) => Promise<P>,
  pick: (success: Exclude<P, { __typename: `${string}Error` }>) => S,
): Promise<Answer<S>> {
  try {
    const payload = await run(newClientMutationId());
    if (isErrorPayload(payload)) {
      const failure = payload as unknown as Failure;
      return {
        ok: false,
        text: failureText(failure),
        fields: new Set((failure.fields ?? []).map((field) => field.path)),
      };
    }
    return { ok: true, value: pick(payload as Exclude<P, { __typename: `${string}Error` }>) };
  } catch (error) {
    return { ok: false, text: thrownText(error), fields: new Set() };
  }
}
