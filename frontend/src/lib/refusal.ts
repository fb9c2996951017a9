/**
 * One place that turns a refused mutation into the words to show. The server words every
 * refusal in the reader's language (RuleReason.message, FieldError.message, the error's
 * message), so what it says is shown as it comes; a screen that has words of its own for a code
 * or a kind of refusal names the catalogue prefix or key, and those win where they exist.
 */
import { type MessageKey, t } from './i18n';

/** Any error member of a payload union (or a queued change's stored failure, spread). */
export interface Failure {
  __typename: string;
  message?: string | null;
  reasons?: ReadonlyArray<{ code: string; message: string }>;
  fields?: ReadonlyArray<{ path: string; message: string; code: string }>;
}

export interface OwnWords {
  /** Catalogue prefix for rule reasons by code ("cases.rule" → cases.rule.<code>). */
  reasons?: string;
  /** Catalogue prefix for field problems by code. */
  fields?: string;
  /** Words for a kind of refusal, by typename ("ConflictError" → its key). */
  types?: Partial<Record<string, MessageKey>>;
  /**
   * Shown instead of the server's words when no own words fit: for a refusal read later than
   * it was said (a queued change), whose words may be in another language or from an older server.
   */
  otherwise?: string;
}

type Entry = { code?: unknown; message?: unknown };

function known(key: string): string | null {
  const text = t(key as MessageKey);
  return text === key ? null : text;
}

function ownWords(entry: Entry, prefix: string | undefined): string | null {
  return prefix && typeof entry.code === 'string' ? known(`${prefix}.${entry.code}`) : null;
}

/** Each line of a refusal: one per reason or field problem, else the error's message. */
export function refusalLines(failure: Failure, own: OwnWords = {}): string[] {
  const byType = own.types?.[failure.__typename];
  if (byType) return [t(byType)];
  const [entries, prefix] = failure.reasons?.length
    ? [failure.reasons as readonly Entry[], own.reasons]
    : [(failure.fields ?? []) as readonly Entry[], own.fields];
  const lines = entries
    .map((entry) => ownWords(entry, prefix) ?? (own.otherwise === undefined ? entry.message : null))
    .filter((line): line is string => typeof line === 'string' && line !== '');
  if (lines.length > 0) return lines;
  return [own.otherwise ?? (failure.message || failure.__typename)];
}

/** A refusal as one text; repeated lines once. */
export function refusalText(failure: Failure, own: OwnWords = {}): string {
  return [...new Set(refusalLines(failure, own))].join(t('queue.separator'));
}

/** A field problem's words by the field it names ("input.mileageKm" → mileageKm). */
export function fieldWords(failure: Failure): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const field of failure.fields ?? []) {
    const name = field.path.split('.').pop() ?? field.path;
    byField[name] ??= field.message;
  }
  return byField;
}
