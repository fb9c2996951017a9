/**
 * The rules the PWA offers choices by, as the domain states them: exported by
 * `baton export-rules` into rules.generated.json (tests/test_rules_export.py fails when the two
 * drift). A screen offers what is listed here, never a list of its own.
 */
import type { introspection } from '../graphql-env';
import generated from './rules.generated.json';

type PromiseStatus = introspection['types']['PromiseStatus']['enumValues'];
type PromiseDue = introspection['types']['PromiseDue']['enumValues'];

const MOVES = generated['promise.moves'] as Record<PromiseStatus, Record<PromiseDue, PromiseStatus[]>>;
const CONSENTED: ReadonlySet<string> = new Set(generated['promise.consented']);

/** Where a promise may go from its status (promises.allowed_moves on the server). */
export function promiseMoves(promise: { status: PromiseStatus; due: PromiseDue }): readonly PromiseStatus[] {
  return MOVES[promise.status]?.[promise.due] ?? [];
}

/** Settled: fulfilled, waived or cancelled, nowhere left to go. */
export function promiseSettled(promise: { status: PromiseStatus; due: PromiseDue }): boolean {
  return promiseMoves(promise).length === 0;
}

/** A move the customer consents to by signing: reaching it changes the signed list. */
export function needsSignature(status: PromiseStatus): boolean {
  return CONSENTED.has(status);
}
