/**
 * The web console's inbox with many open tasks (issue 18 item 5): the real engine (Temporal dev server,
 * worker, API serving dist/console) with N AI systems each waiting for its impact-assessment review, so an
 * approver's inbox holds N open tasks; Debian's Chromium then opens the inbox, already signed in, and the
 * time from navigation to the first page of tasks rendered with its links usable is taken, per round, as
 * the page measures it (performance.now()). Prints figures; no assertion.
 *   npm run build:console && node -r ./test/integration/event-store/ts-register.cjs bench/console.bench.ts [tasks] [rounds]
 */
import * as fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { resolveTemporalCli } from '../infra/temporal/temporal-cli';
import { impactAssessmentBody, registrationBody } from '../test/support/credit-scoring-requests';
import { startLifecycleApi } from '../test/e2e/support/lifecycle-api-harness';
import { pool } from './api-bench-load';

const TASKS = Number(process.argv[2] ?? 1000);
const ROUNDS = Number(process.argv[3] ?? 5);
const ROOT = path.resolve(__dirname, '..');
const CHROMIUM = process.env.AIMS_CHROMIUM ?? '/usr/bin/chromium';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const consoleDir = path.join(ROOT, 'dist', 'console');
  if (!fs.existsSync(path.join(consoleDir, 'index.html'))) throw new Error('dist/console is missing: run npm run build:console first');
  // As jest's global set-up does for the e2e harness: the local Temporal CLI (built once into ~/.cache/aims).
  const cli = await resolveTemporalCli();
  if (cli.kind !== 'existing-path') throw new Error('the bench needs a local Temporal CLI (npm start builds it)');
  process.env.TEMPORAL_CLI_PATH = cli.path;
  const api = await startLifecycleApi({ AIMS_CONSOLE_DIR: consoleDir });
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-console-bench-'));
  try {
    await api.app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${((api.app.getHttpServer() as Server).address() as AddressInfo).port}`;
    const started = Date.now();
    await pool(
      Array.from({ length: TASKS }, (_, i) => `inbox-${String(i).padStart(5, '0')}`),
      8,
      async (systemId) => {
        await api.as('engineer').post('/v1/ai-systems', registrationBody(systemId)).expect(201);
        await api.as('engineer').post(`/v1/ai-systems/${systemId}/impact-assessments`, impactAssessmentBody()).expect(201);
      },
    );
    process.stdout.write(
      `${TASKS} systems registered, each with an impact assessment to review, in ${Math.round((Date.now() - started) / 1000)} s\n`,
    );
    const first = await api.as('approver').get('/v1/tasks?kind=impact_assessment_review&limit=500').expect(200);
    process.stdout.write(
      `approver's inbox: ${(first.body as { items: unknown[] }).items.length} open impact-assessment reviews in its first 500\n`,
    );

    const browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    });
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('API token').fill(api.tokens.approver);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My tasks' }).waitFor();
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // A new navigation each round (the token stays in the tab's sessionStorage): no query cache survives it.
      await page.goto(`${base}/tasks`);
      await page.locator('ol[aria-label="Open tasks"] > li a').nth(99).waitFor();
      times.push(await page.evaluate<number>('performance.now()'));
    }
    const shown = await page.locator('ol[aria-label="Open tasks"] > li').count();
    process.stdout.write(
      `inbox with ${TASKS} open tasks, first page (${shown} tasks) rendered and usable after navigation: median ${Math.round(median(times))} ms ` +
        `(min ${Math.round(Math.min(...times))}, max ${Math.round(Math.max(...times))}) over ${ROUNDS} rounds\n`,
    );
    await browser.close();
  } finally {
    await api.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
