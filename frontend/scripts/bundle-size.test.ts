/// <reference types="node" />
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { measure } from './bundle-size.mjs';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function site(files: Record<string, string>) {
  dir = mkdtempSync(join(tmpdir(), 'baton-size-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe('bundle-size measure', () => {
  it('counts the entry and its static imports as first load, lazy routes only in the total', () => {
    const shared = 'export const s=1;'.repeat(50);
    const dist = site({
      'index.html': '<script type="module" crossorigin src="/assets/index-a.js"></script>',
      'assets/index-a.js': 'import{s}from"./shared-b.js";const r=()=>import("./Route-c.js");',
      'assets/shared-b.js': shared,
      'assets/Route-c.js': 'import{s}from"./shared-b.js";export default s;',
      'sw.js': 'self.addEventListener("push",()=>{});',
    });
    const result = measure(dist);
    expect(result.firstLoadFiles).toEqual(['assets/index-a.js', 'assets/shared-b.js']);
    expect(result.chunks.map((c) => c.file).sort()).toEqual([
      'assets/Route-c.js',
      'assets/index-a.js',
      'assets/shared-b.js',
    ]);
    expect(result.allRoutesBytes).toBeGreaterThan(result.firstLoadBytes);
    expect(result.serviceWorkerBytes).toBeGreaterThan(0);
  });

  it('follows modulepreload links', () => {
    const dist = site({
      'index.html':
        '<script type="module" src="/assets/a.js"></script><link rel="modulepreload" crossorigin href="/assets/b.js">',
      'assets/a.js': 'console.log(1)',
      'assets/b.js': 'console.log(2)',
    });
    expect(measure(dist).firstLoadFiles).toEqual(['assets/a.js', 'assets/b.js']);
  });
});
