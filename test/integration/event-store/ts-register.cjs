/**
 * Lets a child `node` process run the TypeScript sources directly (the crash and multi-process tests spawn
 * real writer processes): compiles each .ts file with @swc/core and the project's .swcrc on require.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '../../..');
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...swcrc, filename, sourceMaps: false, swcrc: false });
  module._compile(code, filename);
};
