/**
 * The web console's Lighthouse accessibility score, page by page (issue 18 budget: each page at least 95).
 * The real engine (Temporal dev server, worker, API serving dist/console) filled by `aims demo`; Debian's
 * Chromium (headless, driven by puppeteer-core, the driver Lighthouse itself uses) signs in through the
 * sign-in form with the demo's tokens (the approver for its inbox and a task, the internal auditor for the
 * rest), so the token lives in the tab's sessionStorage as it does for a person (never in a URL). Each main page is then opened by its deep link in that same tab, left to load
 * its data, and Lighthouse audits it as a snapshot of the tab (a user flow: Lighthouse does not navigate,
 * so the tab stays signed in), once in a desktop window (1280x900) and once in a phone-sized one (412x823,
 * touch, as Lighthouse's mobile preset), the window itself set to that size (a snapshot emulates nothing).
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

const VIEWPORTS = [
  { label: 'desktop', formFactor: 'desktop', viewport: { width: 1280, height: 900 } },
  { label: 'mobile', formFactor: 'mobile', viewport: { width: 412, height: 823, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true } },
] as const;

interface Target {
  name: string;
  /** Whose tab: the approver has tasks in its inbox; the auditor may read every other page. */
  as: 'approver' | 'auditor';
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
      { name: 'My tasks', as: 'approver', path: '/tasks', ready: `document.querySelector('main ol[aria-label="Open tasks"] a') !== null` },
      { name: 'A task', as: 'approver', path: `/tasks/${demo.pendingDeployment.taskId}`, ready: textIn('main button', 'Approve') },
      { name: 'AI systems', as: 'auditor', path: '/ai-systems', ready: textIn('main tbody th', system) },
      { name: 'A system', as: 'auditor', path: `/ai-systems/${system}`, ready: textIn('main h2', 'Lifecycle evidence') },
      { name: 'Nonconformities', as: 'auditor', path: '/nonconformities', ready: `document.querySelector('main .board a') !== null` },
      { name: 'Risks', as: 'auditor', path: '/risks', ready: textIn('main tbody th', `${demo.systems.creditScoring}-drift`) },
      { name: 'SoA', as: 'auditor', path: '/soa', ready: textIn('main', 'approved by') },
      { name: 'Evidence', as: 'auditor', path: '/evidence', ready: `document.querySelector('main tbody a') !== null` },
      { name: 'Readiness', as: 'auditor', path: '/readiness', ready: textIn('main', 'for stage 1:') },
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
      let signedInAs: Target['as'] | null = null;
      // Through the sign-in form, as a person does: the token goes to this tab's sessionStorage.
      const signIn = async (role: Target['as']) => {
        if (signedInAs === role) return;
        if (signedInAs !== null) await page.locator('::-p-aria(Sign out[role="button"])').click();
        // From the start page: signed in, the console shows the page at the tab's address.
        await page.goto(`${base}/`);
        await page.locator('::-p-aria(API token)').fill(demo.tokens[role].token);
        await page.locator('::-p-aria(Sign in[role="button"])').click();
        await page.waitForFunction(textIn('main h1', 'My tasks'));
        signedInAs = role;
      };
      const flow = await startFlow(page, { name: 'aims console accessibility' });
      for (const { label, formFactor, viewport } of VIEWPORTS) {
        await page.setViewport(viewport);
        for (const target of targets) {
          await signIn(target.as);
          await page.goto(`${base}${target.path}`);
          await page.waitForFunction(`(${target.ready}) && !${textIn('main [role="status"]', 'Loading')}`, { timeout: 30_000 });
          await page.waitForNetworkIdle({ idleTime: 300 });
          await flow.snapshot({
            name: `${target.name} (${label})`,
            onlyCategories: ['accessibility'],
            formFactor,
            screenEmulation: { disabled: true },
          });
        }
      }
      const result = await flow.createFlowResult();
      fs.mkdirSync(path.dirname(REPORT), { recursive: true });
      fs.writeFileSync(REPORT, await flow.generateReport());
      process.stdout.write(`Lighthouse ${result.steps[0]?.lhr.lighthouseVersion} accessibility, Chromium ${await browser.version()}\n`);
      for (const step of result.steps) {
        const category = step.lhr.categories.accessibility;
        const score = category?.score ?? null;
        const audits = (category?.auditRefs ?? []).map((ref) => step.lhr.audits[ref.id]).filter((a) => a.scoreDisplayMode === 'binary');
        const lost = audits.filter((a) => a.score !== null && a.score < 1).map((a) => a.id);
        process.stdout.write(
          `${step.name.padEnd(28)} ${step.lhr.finalDisplayedUrl.replace(base, '').padEnd(34)} ${score === null ? 'n/a' : Math.round(score * 100)}` +
            ` (${audits.length - lost.length}/${audits.length} audits passed)${lost.length > 0 ? `; failing: ${lost.join(', ')}` : ''}\n`,
        );
      }
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
