/**
 * The web console's inbox with many open tasks (issue 18 item 5): the real engine (Temporal dev server,
 * worker, API serving dist/console) with N AI systems each waiting for its impact-assessment review, so an
 * approver's inbox holds N open tasks; Debian's Chromium then opens the inbox, already signed in. Per round,
 * as the page measures it (performance.now()): the time from navigation to the first task's link usable;
 * then every page of the inbox is read ("More tasks" until there is no more), and the time from a jump to
 * the end of the page until the last task's link is in the page; how many task rows the page then holds.
 * (Reading every page is timed too, from the first task usable: mostly the API's answers, plus rendering what
 * each page adds.)
 * The measures hold for a list rendered whole as for a virtualised one (a virtualised row says its place
 * with aria-posinset). Prints figures; no assertion.
 *   npm run build:console && node -r ./test/integration/event-store/ts-register.cjs bench/console.bench.ts [tasks] [rounds]
 * AIMS_BENCH_COMPARE_DIR names another build of the console (an earlier commit's, to compare): the rounds
 * then alternate between the two builds on the same engine and inbox (the API serves the console from a
 * link that is switched between rounds), so both are measured under the same load.
 */
import * as fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveTemporalCli } from '../infra/temporal/temporal-cli';
import { impactAssessmentBody, registrationBody } from '../test/support/credit-scoring-requests';
import { launchChromium } from '../test/e2e/support/console-browser';
import { startLifecycleApi } from '../test/e2e/support/lifecycle-api-harness';
import { pool } from './api-bench-load';

const TASKS = Number(process.argv[2] ?? 1000);
const ROUNDS = Number(process.argv[3] ?? 5);
const ROOT = path.resolve(__dirname, '..');

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const builds = [
    { label: 'this build', dir: path.join(ROOT, 'dist', 'console') },
    ...(process.env.AIMS_BENCH_COMPARE_DIR
      ? [{ label: `compared build (${process.env.AIMS_BENCH_COMPARE_DIR})`, dir: process.env.AIMS_BENCH_COMPARE_DIR }]
      : []),
  ];
  for (const build of builds)
    if (!fs.existsSync(path.join(build.dir, 'index.html'))) throw new Error(`${build.dir} holds no built console (npm run build:console)`);
  // As jest's global set-up does for the e2e harness: the local Temporal CLI (built once into ~/.cache/aims).
  const cli = await resolveTemporalCli();
  if (cli.kind !== 'existing-path') throw new Error('the bench needs a local Temporal CLI (npm start builds it)');
  process.env.TEMPORAL_CLI_PATH = cli.path;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-console-bench-'));
  // The API serves the console from this link; it is pointed at each build in turn.
  const served = path.join(userDataDir, 'served-console');
  const serve = (dir: string) => {
    fs.rmSync(served, { force: true });
    fs.symlinkSync(path.resolve(dir), served);
  };
  serve(builds[0].dir);
  const api = await startLifecycleApi({ AIMS_CONSOLE_DIR: served });
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

    const browser = await launchChromium(userDataDir);
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('API token').fill(api.tokens.approver);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My tasks' }).waitFor();
    const list = 'ol[aria-label="Open tasks"] > li';
    const figures = builds.map(() => ({ usable: [] as number[], all: [] as number[], end: [] as number[], rendered: 0 }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [b, build] of builds.entries()) {
        serve(build.dir);
        // A new navigation each round (the token stays in the tab's sessionStorage): no query cache survives it.
        await page.goto(`${base}/tasks`);
        await page.locator(`${list} a`).first().waitFor();
        const usable = await page.evaluate<number>('performance.now()');
        figures[b].usable.push(usable);
        // The whole inbox, a server page at a time: "More tasks" until there is no more (a virtualised list
        // may also ask for the next page itself as its end comes near).
        for (;;) {
          const state = await page.evaluate<string>(
            `(() => { const b = [...document.querySelectorAll('button')].find((b) => b.textContent === 'More tasks');
              if (b === undefined) return 'done'; if (!b.disabled) b.click(); return 'reading'; })()`,
          );
          if (state === 'done') break;
          await page.waitForTimeout(50);
        }
        figures[b].all.push((await page.evaluate<number>('performance.now()')) - usable);
        const jumped = await page.evaluate<number>('window.scrollTo(0, document.documentElement.scrollHeight), performance.now()');
        await page.waitForFunction(
          `(() => { const rows = document.querySelectorAll('${list}'); const last = rows[rows.length - 1];
            return last !== undefined && Number(last.getAttribute('aria-posinset') ?? rows.length) === ${TASKS} && last.querySelector('a') !== null; })()`,
        );
        figures[b].end.push((await page.evaluate<number>('performance.now()')) - jumped);
        figures[b].rendered = await page.locator(list).count();
      }
    }
    const spread = (times: number[]) =>
      `median ${Math.round(median(times))} ms (min ${Math.round(Math.min(...times))}, max ${Math.round(Math.max(...times))})`;
    for (const [b, build] of builds.entries())
      process.stdout.write(
        `${build.label}: inbox with ${TASKS} open tasks over ${ROUNDS} rounds: first task usable after navigation ${spread(figures[b].usable)}; ` +
          `then all ${TASKS} read (${Math.ceil(TASKS / 100)} server pages of 100, "More tasks" pressed as soon as it is enabled) ${spread(figures[b].all)}; the last task in the page after a jump to the end ${spread(figures[b].end)}; task rows in the page: ${figures[b].rendered}\n`,
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
