#!/usr/bin/env node
// The installed `aims` command: runs the compiled CLI (build with `npm run build`).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write(`aims: not built yet (${entry} is missing); run \`npm run build\` in ${path.dirname(__dirname)}\n`);
  process.exit(2);
}
require(entry).run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`aims: ${err && err.message ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
