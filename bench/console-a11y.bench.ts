/**
 * The web console's Lighthouse accessibility score, page by page (issue 18 budget: each page at least 95).
 * The real engine (Temporal dev server, worker, API serving dist/console) filled by `aims demo`; Debian's
 * Chromium (headless, driven by puppeteer-core, the driver Lighthouse itself uses) signs in as the demo's
 * internal auditor through the sign-in form, so the token lives in the tab's sessionStorage as it does for
 * a person (never in a URL). Each main page is then opened by its deep link in that same tab, left to load
 * its data, and Lighthouse audits it as a snapshot of the tab (a user flow: Lighthouse does not navigate,
 * so the tab stays signed in). Desktop, the window's own 1280x900 viewport, no emulation.
 * Prints each page's score and the audits that lost points; leaves the flow's HTML report in
 * test-results/console/lighthouse-a11y.html. No assertion.
 *   npm run bench:console:a11y
 * (AIMS_BENCH_CONSOLE_DIR: another build of the console than dist/console.)
 */
import * as fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as Lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';
import { runDemo, type DemoIo } from '../apps/cli/src/commands/demo.command';
import { resolveTemporalCli } from '../infra/temporal/temporal-cli';
import { startLifecycleApi } from '../test/e2e/support/lifecycle-api-harness';

const ROOT = path.resolve(__dirname, '..');
const CHROMIUM = process.env.CHROME_PATH ?? process.env.AIMS_CHROMIUM ?? '/usr/bin/chromium';
const REPORT = path.join(ROOT, 'test-results', 'console', 'lighthouse-a11y.html');

// Lighthouse is an ES module; its CommonJS entry loads it on first call (this file runs as CommonJS).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
const { startFlow } = require('lighthouse/core/index.cjs') as typeof Lighthouse;

interface Target {
  name: string;
  path: string;
  /** A JavaScript expression, true once the page shows its data. */
  ready: string;
}

const textIn = (selector: string, text: string) =>
  `[...document.querySelectorAll(${JSON.stringify(selector)})].some((e) => e.textContent.includes(${JSON.stringify(text)}))`;

async function main(): Promise<void> {
  const consoleDir = process.env.AIMS_BENCH_CONSOLE_DIR ?? path.join(ROOT, 'dist', 'console');
  if (!fs.existsSync(path.join(consoleDir, 'index.html'))) throw new Error('dist/console is missing: run npm run build:console first');
  const cli = await resolveTemporalCli();
  if (cli.kind !== 'existing-path') throw new Error('the bench needs a local Temporal CLI (npm start builds it)');
  process.env.TEMPORAL_CLI_PATH = cli.path;
  const api = await startLifecycleApi({ AIMS_CONSOLE_DIR: consoleDir });
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-console-a11y-'));
  try {
    await api.app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${((api.app.getHttpServer() as Server).address() as AddressInfo).port}`;
    const io: DemoIo = { stdout: () => undefined, stderr: () => undefined, env: { AIMS_DATA_DIR: api.config.dataDir } };
    const demo = await runDemo({ url: base, store: api.storeUrl }, io);
    const system = demo.pendingDeployment.systemId;
    const targets: Target[] = [
      { name: 'My tasks', path: '/tasks', ready: textIn('main h1', 'My tasks') },
      { name: 'AI systems', path: '/ai-systems', ready: textIn('main tbody th', system) },
      { name: 'A system', path: `/ai-systems/${system}`, ready: textIn('main h2', 'Lifecycle evidence') },
      { name: 'Nonconformities', path: '/nonconformities', ready: `document.querySelector('main .board a') !== null` },
      { name: 'Risks', path: '/risks', ready: textIn('main tbody th', `${demo.systems.creditScoring}-drift`) },
      { name: 'SoA', path: '/soa', ready: textIn('main', 'approved by') },
      { name: 'Evidence', path: '/evidence', ready: `document.querySelector('main tbody a') !== null` },
      { name: 'Readiness', path: '/readiness', ready: textIn('main', 'for stage 1:') },
    ];

    const browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
      defaultViewport: { width: 1280, height: 900 },
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${base}/`);
      await page.locator('::-p-aria(API token)').fill(demo.tokens.auditor.token);
      await page.locator('::-p-aria(Sign in[role="button"])').click();
      await page.waitForFunction(textIn('main h1', 'My tasks'));
      const flow = await startFlow(page, {
        name: 'aims console accessibility',
        flags: {
          onlyCategories: ['accessibility'],
          formFactor: 'desktop',
          screenEmulation: { disabled: true },
        },
      });
      for (const target of targets) {
        await page.goto(`${base}${target.path}`);
        await page.waitForFunction(`(${target.ready}) && !${textIn('main [role="status"]', 'Loading')}`, { timeout: 30_000 });
        await page.waitForNetworkIdle({ idleTime: 300 });
        await flow.snapshot({ name: target.name });
      }
      const result = await flow.createFlowResult();
      fs.mkdirSync(path.dirname(REPORT), { recursive: true });
      fs.writeFileSync(REPORT, await flow.generateReport());
      process.stdout.write(
        `Lighthouse ${result.steps[0]?.lhr.lighthouseVersion} accessibility, desktop, Chromium ${await browser.version()}\n`,
      );
      result.steps.forEach((step, i) => {
        const score = step.lhr.categories.accessibility?.score ?? null;
        const lost = Object.values(step.lhr.audits)
          .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary')
          .map((a) => a.id);
        process.stdout.write(
          `${targets[i].name.padEnd(16)} ${targets[i].path.padEnd(40)} ${score === null ? 'n/a' : Math.round(score * 100)}` +
            `${lost.length > 0 ? `  failing: ${lost.join(', ')}` : ''}\n`,
        );
      });
      process.stdout.write(`report: ${path.relative(ROOT, REPORT)}\n`);
    } finally {
      await browser.close();
    }
  } finally {
    await api.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
