/**
 * The length limit of each text the server checks, as the domain declares it: exported by
 * `baton export-limits` into limits.generated.json (tests/test_limits_export.py fails when the
 * two drift). An input's maxLength comes from here, never a literal.
 */
import generated from './limits.generated.json';

export type LimitName = keyof typeof generated;

export const LIMITS: Readonly<Record<LimitName, number>> = generated;

export function maxLength(name: LimitName): number {
  return LIMITS[name];
}
