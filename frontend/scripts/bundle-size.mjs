#!/usr/bin/env node
// Measures the built PWA in dist/ against the budget in DESIGN.md (a phone on a weak network):
//   first-load JavaScript <= 100 KB gzip: the entry script(s) in index.html and every chunk they
//     import statically (what the browser must fetch before the first screen);
//   all routes <= 170 KB gzip: every JavaScript chunk the app can load (the service worker is
//     reported on its own line: it is fetched once in the background, not by a route).
// Exits 1 when over budget. `--json` prints the measurement as JSON (for other tests to read).
// Run after `npm run build`:  npm run size
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const KB = 1024;
export const BUDGET = { firstLoadKB: 100, allRoutesKB: 170 };

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const dist =
  args.find((a) => !a.startsWith('--')) ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

const gzipSize = (file) => gzipSync(readFileSync(file)).length;

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

/** Scripts index.html loads up front: module entries and modulepreloads. */
function htmlScripts(html) {
  const refs = new Set();
  for (const match of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) refs.add(match[1]);
  for (const match of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g))
    refs.add(match[1]);
  for (const match of html.matchAll(/<link\b[^>]*\bhref="([^"]+)"[^>]*\brel="modulepreload"/g))
    refs.add(match[1]);
  return [...refs].filter((ref) => !/^[a-z]+:\/\//i.test(ref) && !ref.startsWith('//'));
}

/** Static `import … from "x"` / `export … from "x"` / `import "x"`; not dynamic `import("x")`. */
function staticImports(code) {
  const specifiers = [];
  const pattern = /\b(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.m?js)["']/g;
  for (const match of code.matchAll(pattern)) specifiers.push(match[1]);
  return specifiers;
}

export function measure(distDir) {
  const indexHtml = join(distDir, 'index.html');
  if (!existsSync(indexHtml)) {
    throw new Error(`${indexHtml} not found: run \`npm run build\` first`);
  }
  const toFile = (urlPath) => join(distDir, urlPath.replace(/^\//, ''));
  const firstLoad = new Set();
  const queue = htmlScripts(readFileSync(indexHtml, 'utf8')).map(toFile);
  while (queue.length > 0) {
    const file = queue.pop();
    if (firstLoad.has(file) || !existsSync(file)) continue;
    firstLoad.add(file);
    const base = posix.dirname(relative(distDir, file).split('\\').join('/'));
    for (const spec of staticImports(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.') && !spec.startsWith('/')) continue;
      queue.push(spec.startsWith('/') ? toFile(spec) : join(distDir, posix.join(base, spec)));
    }
  }

  const files = listFiles(distDir);
  const serviceWorker = files.filter(
    (f) => /(^|[\\/])sw\.js$/.test(relative(distDir, f)) && !f.includes('assets'),
  );
  const appScripts = files.filter((f) => /\.m?js$/.test(f) && !serviceWorker.includes(f));
  const styles = files.filter((f) => f.endsWith('.css'));
  const sum = (list) => list.reduce((total, file) => total + gzipSize(file), 0);

  return {
    firstLoadBytes: sum([...firstLoad]),
    allRoutesBytes: sum(appScripts),
    serviceWorkerBytes: sum(serviceWorker),
    cssBytes: sum(styles),
    firstLoadFiles: [...firstLoad].map((f) => relative(distDir, f)).sort(),
    chunks: appScripts
      .map((f) => ({ file: relative(distDir, f), gzipBytes: gzipSize(f) }))
      .sort((a, b) => b.gzipBytes - a.gzipBytes),
  };
}

function main() {
  let result;
  try {
    result = measure(dist);
  } catch (error) {
    console.error(String(error instanceof Error ? error.message : error));
    process.exit(2);
  }
  const over =
    result.firstLoadBytes > BUDGET.firstLoadKB * KB || result.allRoutesBytes > BUDGET.allRoutesKB * KB;
  if (asJson) {
    console.log(JSON.stringify({ budget: BUDGET, withinBudget: !over, ...result }, null, 2));
    process.exit(over ? 1 : 0);
  }
  const kb = (bytes) => `${(bytes / KB).toFixed(1)} KB`;
  const checks = [
    ['first-load JS', result.firstLoadBytes, BUDGET.firstLoadKB * KB],
    ['all routes JS', result.allRoutesBytes, BUDGET.allRoutesKB * KB],
  ];
  console.log('gzip sizes of dist/');
  for (const chunk of result.chunks) console.log(`  ${kb(chunk.gzipBytes).padStart(9)}  ${chunk.file}`);
  console.log(`  ${kb(result.serviceWorkerBytes).padStart(9)}  service worker (not a route)`);
  console.log(`  ${kb(result.cssBytes).padStart(9)}  CSS`);
  for (const [name, bytes, budget] of checks) {
    const ok = bytes <= budget;
    console.log(`${ok ? 'ok  ' : 'OVER'} ${name}: ${kb(bytes)} of ${kb(budget)}`);
  }
  process.exit(over ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
