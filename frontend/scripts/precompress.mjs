#!/usr/bin/env node
// Writes a brotli (.br) and a gzip (.gz) copy beside each text file of the built PWA, so the
// server sends compressed bytes without compressing on every request (backend/baton/app.py
// picks the copy the browser's Accept-Encoding allows). Runs after `vite build` in `npm run build`.
// A copy that would not be smaller is not written. Usage: node scripts/precompress.mjs [dist]
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TEXT = /\.(js|css|html|webmanifest|json|svg|txt)$/;
const dist = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

const codings = [
  [
    '.br',
    (bytes) =>
      brotliCompressSync(bytes, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      }),
  ],
  ['.gz', (bytes) => gzipSync(bytes, { level: 9 })],
];

let before = 0;
const after = { '.br': 0, '.gz': 0 };
for (const file of listFiles(dist).filter((path) => TEXT.test(path))) {
  const bytes = readFileSync(file);
  before += bytes.length;
  for (const [suffix, compress] of codings) {
    const compressed = compress(bytes);
    if (compressed.length < bytes.length) {
      writeFileSync(file + suffix, compressed);
      after[suffix] += compressed.length;
    } else {
      // A copy left from an earlier build of the same name would be stale.
      rmSync(file + suffix, { force: true });
      after[suffix] += bytes.length;
    }
  }
}
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log(`precompressed dist/: ${kb(before)} → brotli ${kb(after['.br'])}, gzip ${kb(after['.gz'])}`);
