#!/usr/bin/env node
// The installed `aims` command: runs the compiled CLI (`npm run build`, or any `npm start`/`npm test`).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write(`aims: not built yet (${entry} is missing); run \`npm run build\` in ${path.dirname(__dirname)}\n`);
  process.exit(2);
}
require(entry).runAndExit(process.argv.slice(2));
