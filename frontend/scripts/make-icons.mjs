#!/usr/bin/env node
// Draws the app icons (a white relay baton with an amber band on the theme colour) and
// writes them as PNG with zlib only, so no image tool or network is needed.
// Run: npm run icons   (the PNGs are committed; rerun after changing the drawing)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const THEME = [0x0b, 0x53, 0x94];
const WHITE = [0xff, 0xff, 0xff];
const AMBER = [0xf5, 0xb3, 0x01];
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Signed distance from p to a capsule (segment a-b, radius r); negative inside.
function capsule(px, py, ax, ay, bx, by, r) {
  const dx = bx - ax;
  const dy = by - ay;
  const h = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - dx * h, py - ay - dy * h) - r;
}

function roundedSquare(px, py, half, radius) {
  const qx = Math.abs(px) - half + radius;
  const qy = Math.abs(py) - half + radius;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

const cover = (distance, pixel) => Math.max(0, Math.min(1, 0.5 - distance / pixel));
const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);

function draw(size, maskable) {
  const rgba = Buffer.alloc(size * size * 4);
  const pixel = 1 / size;
  // The glyph sits well inside the maskable safe zone (a centred circle of radius 0.4).
  const scale = maskable ? 0.8 : 0.9;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / size - 0.5;
      const v = (y + 0.5) / size - 0.5;
      const background = maskable ? 1 : cover(roundedSquare(u, v, 0.5, 0.2), pixel);
      const gu = u / scale;
      const gv = v / scale;
      const gp = pixel / scale;
      const baton = cover(capsule(gu, gv, -0.26, 0.26, 0.26, -0.26, 0.085), gp);
      const band = cover(capsule(gu, gv, 0.09, -0.09, 0.16, -0.16, 0.095), gp);
      let colour = THEME;
      colour = mix(colour, WHITE, baton);
      colour = mix(colour, AMBER, band);
      const i = (y * size + x) * 4;
      rgba[i] = Math.round(colour[0]);
      rgba[i + 1] = Math.round(colour[1]);
      rgba[i + 2] = Math.round(colour[2]);
      rgba[i + 3] = Math.round(255 * background);
    }
  }
  return png(size, rgba);
}

mkdirSync(outDir, { recursive: true });
const icons = [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['maskable-192.png', 192, true],
  ['maskable-512.png', 512, true],
  ['apple-touch-icon-180.png', 180, true],
];
for (const [name, size, maskable] of icons) {
  const file = join(outDir, name);
  writeFileSync(file, draw(size, maskable));
  console.log(`wrote ${file}`);
}
