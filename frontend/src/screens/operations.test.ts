/**
 * Every GraphQL document the app sends, checked the way the server will: each fragment it
 * spreads is defined in it exactly once, and each fragment it defines is spread (a document
 * with an unused fragment is refused). Field names and types are gql.tada's job at compile time.
 */
import { describe, expect, it } from 'vitest';

const modules = import.meta.glob<Record<string, unknown>>(
  ['./*/operations.ts', '../lib/error-fragments.ts'],
  {
    eager: true,
  },
);

const documents = Object.entries(modules).flatMap(([file, exports]) =>
  Object.entries(exports)
    .filter(([, value]) => typeof (value as { source?: unknown } | null)?.source === 'string')
    .map(([name, value]) => ({ name: `${file} ${name}`, source: (value as { source: string }).source })),
);

const names = (source: string, pattern: RegExp) => [...source.matchAll(pattern)].map((m) => m[1] ?? '');

describe('the documents sent to the server', () => {
  it('are found', () => {
    // A glob that matched nothing would make the next test pass vacuously.
    expect(documents.length).toBeGreaterThan(20);
  });

  it.each(documents)('$name: defines each spread fragment once and spreads each it defines', ({ source }) => {
    const defined = names(source, /\bfragment\s+(\w+)\s+on\b/g);
    const spread = new Set(names(source, /\.\.\.\s*(?!on\b)(\w+)/g));
    // A fragment document's own fragment is the one not spread inside it.
    const own = /^\s*fragment\s+(\w+)/.exec(source)?.[1];
    expect(new Set(defined).size).toBe(defined.length);
    expect([...spread].sort()).toEqual(defined.filter((name) => name !== own).sort());
  });
});
