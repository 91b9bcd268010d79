/**
 * What the console's browser tests share: the console built as `npm run build` makes it, from the sources
 * under test, into a folder of the test's own; and Debian's Chromium launched headless with nothing that
 * reaches beyond this machine.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

const ROOT = path.resolve(__dirname, '../../..');
const CHROMIUM = process.env.AIMS_CHROMIUM ?? '/usr/bin/chromium';

/** Builds the console into a new temporary folder (named after `prefix`) and returns it. */
export function buildConsole(prefix: string): string {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const build = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'apps/console/vite.config.mts',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
  );
  if (build.status !== 0) throw new Error(`vite build failed: ${build.stderr}`);
  return outDir;
}

/** Headless, and nothing that reaches beyond this machine (no updates, sync or background fetches). */
export const HEADLESS_CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Chromium with a profile of its own in `userDataDir`, 1280×900; `extraArgs` add to the flags. */
export function launchChromium(userDataDir: string, extraArgs: string[] = []): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...HEADLESS_CHROMIUM_FLAGS, ...extraArgs],
    viewport: { width: 1280, height: 900 },
  });
}
