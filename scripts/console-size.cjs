#!/usr/bin/env node
/**
 * The web console's initial download, as docs/benchmarks.md reports it: every script, module preload and
 * stylesheet dist/console/index.html names, raw and gzipped (level 9, as a server or proxy would send it).
 * Run after `npm run build` (or `npm run build:console`): `node scripts/console-size.cjs [--json]`.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const dir = path.resolve(__dirname, '..', 'dist', 'console');
const indexFile = path.join(dir, 'index.html');
if (!fs.existsSync(indexFile)) {
  process.stderr.write('dist/console/index.html is missing: run npm run build:console first\n');
  process.exit(2);
}
const html = fs.readFileSync(indexFile, 'utf8');
const referenced = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const files = [...new Set(referenced)].map((url) => {
  const bytes = fs.readFileSync(path.join(dir, url));
  return { file: url, kind: url.endsWith('.css') ? 'css' : 'js', raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length };
});
const sum = (kind, key) => files.filter((f) => f.kind === kind).reduce((n, f) => n + f[key], 0);
const totals = { jsRaw: sum('js', 'raw'), jsGzip: sum('js', 'gzip'), cssRaw: sum('css', 'raw'), cssGzip: sum('css', 'gzip') };
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({ files, totals }, null, 2)}\n`);
else {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  for (const f of files) process.stdout.write(`${f.file}  ${kb(f.raw)} raw, ${kb(f.gzip)} gzipped\n`);
  process.stdout.write(`initial JavaScript: ${kb(totals.jsRaw)} raw, ${kb(totals.jsGzip)} gzipped (budget 250 KB gzipped)\n`);
  process.stdout.write(`initial CSS: ${kb(totals.cssRaw)} raw, ${kb(totals.cssGzip)} gzipped\n`);
}
