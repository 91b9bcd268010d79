/**
 * The web console in a real browser (issue 18): Debian's Chromium driven by playwright-core against the
 * real engine (Temporal dev server, worker, API serving the console built from apps/console) filled by
 * `aims demo`. Each role signs in with the token the demo issued it:
 *  - a validator sees the pending deployment on the system's page but no Approve button, and the API
 *    refuses the decision all the same;
 *  - an auditor verifies the chain, then moves a stream's as-of slider back and sees the earlier state,
 *    and reads the nonconformity board, a nonconformity, the SoA, one of its controls, the risk register and readiness;
 *  - an approver finds the deployment in the inbox, approves it, and the gate then answers allowed;
 *  - the AIMS owner opens the AI policy: version 2 in force, version 1 obsolete, who reviewed and approved
 *    each, the text by its digest, the master list;
 *  - an auditor opens the people register, a person and their appointment, competence, role assignments, RACI;
 *  - top management opens the objectives, one of the demo's objectives with its trend drawn (the chart is a
 *    lazily loaded chunk) and tabled, then its measure and the measures page;
 *  - an auditor opens the demo's audit programme and internal audit (samples linked to their streams, the
 *    finding and its nonconformity, the report), then the management review (inputs verified against the
 *    evidence, minutes, decisions, sign-off) and the next one's preview; a validator sees the audit without
 *    the evidence links it may not follow.
 *  - with sixty more systems, the inventory renders only the rows near the viewport (virtualised), says
 *    each row's place (aria-rowcount, aria-rowindex), and Tab reaches every row in order.
 *  - once a checkpoint is signed, an auditor reads it on the Evidence page (the note verbatim) and asks for
 *    an event's inclusion proof on its stream's page, which the browser checks against that checkpoint.
 * On every page axe (axe-core, evaluated in the page) finds no serious or critical violation, the page
 * breaks no rule of its Content-Security-Policy, and a screenshot is left in test-results/console/.
 */
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_POLICY_ID } from '../../apps/cli/src/commands/demo-documents';
import { runDemo, type DemoIo, type DemoResult } from '../../apps/cli/src/commands/demo.command';
import { DEMO_REVIEW_ID } from '../../apps/cli/src/commands/demo-review';
import { signCheckpoint } from '../../infra/event-store/evidence-checkpoints';
import { generateSignerKey, parseSignerKey } from '../../infra/event-store/signed-note';
import { registrationBody } from '../support/credit-scoring-requests';
import { eventually } from './support/api-harness';
import { startLifecycleApi, type LifecycleApi } from './support/lifecycle-api-harness';
import { buildConsole, launchChromium } from './support/console-browser';

const ROOT = path.resolve(__dirname, '../..');
const SHOTS = path.join(ROOT, 'test-results', 'console');
const AXE_SOURCE = fs.readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

let consoleDir: string;
let userDataDir: string;
let api: LifecycleApi;
let base: string;
let demo: DemoResult;
let browser: BrowserContext;

/** What the page logged as errors (CSP violations among them), per page. */
const errors = new Map<Page, string[]>();

beforeAll(async () => {
  // The console as `npm run build` makes it, from the sources under test, into a folder of this test's.
  consoleDir = buildConsole('aims-console-');
  api = await startLifecycleApi({ AIMS_CONSOLE_DIR: consoleDir });
  await api.app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
  const io: DemoIo = { stdout: () => undefined, stderr: () => undefined, env: { AIMS_DATA_DIR: api.config.dataDir } };
  demo = await runDemo({ url: base, store: api.storeUrl }, io);
  fs.mkdirSync(SHOTS, { recursive: true });
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-console-chromium-'));
  browser = await launchChromium(userDataDir);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  for (const dir of [consoleDir, userDataDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh tab (its own sessionStorage) signed in with `token` through the sign-in form. */
async function signedIn(token: string, shot?: string): Promise<Page> {
  const page = await browser.newPage();
  const logged: string[] = [];
  errors.set(page, logged);
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) logged.push(message.text());
  });
  page.on('pageerror', (error) => logged.push(error.message));
  await page.goto(`${base}/`);
  await page.getByRole('heading', { name: 'Sign in to aims' }).waitFor();
  if (shot !== undefined) await checkPage(page, shot);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'My tasks' }).waitFor();
  return page;
}

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>;
}

/** axe finds no serious or critical violation, nothing broke the CSP or threw; then the screenshot. */
async function checkPage(page: Page, name: string): Promise<void> {
  // Evaluated over the DevTools protocol, which the page's CSP (no inline script) does not govern.
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate<AxeResult>('axe.run(document, { resultTypes: ["violations"] })');
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
  expect(errors.get(page) ?? []).toEqual([]);
  // No refusal or failure shown where none is expected (a query the API refuses shows as an alert).
  expect([name, await page.getByRole('alert').allTextContents()]).toEqual([name, []]);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

test('given a token the API does not accept, when pasted, then the refusal is said in plain words and nothing is kept', async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  await page.getByLabel('API token').fill('aims_0000000000000000_not-a-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'That token was not accepted' }).waitFor();
  await expect(page.evaluate('sessionStorage.length')).resolves.toBe(0);
  await page.close();
});

test('given the demo, when a validator opens the system with the pending deployment, then its task shows no Approve button and the API refuses it anyway', async () => {
  const page = await signedIn(demo.tokens.validator.token, 'sign-in');
  await checkPage(page, 'tasks-validator');
  // Pages a validator may not read are not offered.
  await expect(page.getByRole('navigation').getByRole('link').allTextContents()).resolves.toEqual([
    'My tasks',
    'AI systems',
    'Nonconformities',
    'Risks',
    'Objectives',
    'Statement of Applicability',
    'Documents',
    'People',
    'Audits',
    'Reviews',
  ]);
  await page.getByRole('link', { name: 'AI systems' }).click();
  await page.getByRole('heading', { name: 'AI systems' }).waitFor();
  await page.getByRole('row').filter({ hasText: demo.pendingDeployment.systemId }).getByRole('link').click();
  const task = page
    .getByRole('list', { name: 'Open tasks of this system' })
    .getByRole('listitem')
    .filter({ hasText: 'deployment approval' });
  await task.waitFor();
  await expect(task.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
  await expect(task.textContent()).resolves.toMatch(/Open to .*approver.*; not to your roles/);
  await page.getByRole('heading', { name: 'Lifecycle evidence' }).waitFor();
  await page.getByRole('list', { name: 'Evidence of this system, oldest first' }).waitFor();
  await checkPage(page, 'ai-system-validator');
  // The console hides the button; the API is what refuses (here asked from the page, with the page's token).
  const status = await page.evaluate(
    `fetch('/v1/tasks/${demo.pendingDeployment.taskId}/decision', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + sessionStorage.getItem('aims.console.token') }, body: JSON.stringify({ outcome: 'approve' }) }).then((r) => r.status)`,
  );
  expect(status).toBe(403);
  // The token is in this tab's sessionStorage only: never in the address, nor in localStorage.
  expect(page.url()).not.toContain(demo.tokens.validator.token);
  await expect(page.evaluate('JSON.stringify(localStorage)')).resolves.not.toContain(demo.tokens.validator.token);
  await page.close();
});

test('given the demo, when an auditor verifies the chain and moves a stream back in time, then it is intact and the earlier state shows', async () => {
  const page = await signedIn(demo.tokens.auditor.token);
  await page.getByRole('link', { name: 'Evidence' }).click();
  await page.getByRole('heading', { name: 'Evidence' }).waitFor();
  await page.getByRole('button', { name: 'Verify the chain' }).click();
  await page.getByText(/^Intact: \d+ events/).waitFor();
  await checkPage(page, 'evidence');

  const stream = `ai-system-${demo.pendingDeployment.systemId}`;
  await page.getByLabel('Stream').fill(stream);
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByRole('link', { name: stream }).first().click();
  await page.getByRole('heading', { name: `Stream ${stream}` }).waitFor();
  const timeline = page.getByRole('list', { name: `Evidence of ${stream}, oldest first` }).getByRole('listitem');
  await page.getByText(/^As it stands now: revision \d+\.$/).waitFor();
  const now = await timeline.count();
  expect(now).toBeGreaterThan(3);
  await expect(timeline.filter({ hasText: 'Deployment requested' }).count()).resolves.toBe(1);
  await checkPage(page, 'stream-now');

  // Back one event with the keyboard, then to the first: the stream as it stood then.
  const slider = page.getByRole('slider', { name: 'As of event' });
  await slider.focus();
  await page.keyboard.press('ArrowLeft');
  await page.getByText(new RegExp(`^As of event ${now - 1} \\(position \\d+\\): revision ${now - 2}, ${now - 1} events\\.$`)).waitFor();
  await expect(timeline.count()).resolves.toBe(now - 1);
  await page.keyboard.press('Home');
  await page.getByText(/^As of event 1 \(position \d+\): revision 0, 1 events\.$/).waitFor();
  await expect(timeline.count()).resolves.toBe(1);
  await expect(timeline.first().textContent()).resolves.toMatch(/Ai system registered/);
  await expect(timeline.filter({ hasText: 'Deployment requested' }).count()).resolves.toBe(0);
  await checkPage(page, 'stream-as-of');
  // The stream's address is a deep link: reloaded, the tab (still signed in) shows the same stream.
  await page.reload();
  await page.getByText(/^As it stands now: revision \d+\.$/).waitFor();
  expect(page.url()).toBe(`${base}/evidence/streams/${stream}`);

  await page.getByRole('link', { name: 'Nonconformities' }).click();
  await page.getByRole('heading', { name: 'Nonconformities', level: 1 }).waitFor();
  const card = page.getByRole('link', { name: /./ }).and(page.locator('.board a')).first();
  await card.waitFor();
  await checkPage(page, 'nonconformities');
  await card.click();
  await page.getByRole('heading', { name: 'History' }).waitFor();
  await checkPage(page, 'nonconformity');

  // The SoA the demo put in force: its controls, and one control with its evidence.
  await page.getByRole('link', { name: 'Statement of Applicability' }).click();
  await page.getByText(/^Version 1, approved by tara\.topmanagement/).waitFor();
  await expect(page.getByRole('table').getByRole('row').count()).resolves.toBe(39);
  await checkPage(page, 'soa');
  await page.getByRole('link', { name: 'A.6.2.4', exact: true }).click();
  await page.getByRole('heading', { name: /^A\.6\.2\.4 / }).waitFor();
  await page.getByRole('heading', { name: 'Evidence' }).waitFor();
  await checkPage(page, 'soa-control');

  // The risk register: the demo's credit-scoring risk, within appetite.
  await page.getByRole('link', { name: 'Risks' }).click();
  const risk = page.getByRole('row').filter({ hasText: `${demo.systems.creditScoring}-drift` });
  await risk.waitFor();
  await expect(risk.textContent()).resolves.toMatch(/low.*within/);
  await checkPage(page, 'risks');

  // Certification readiness, stage 1 then stage 2 (a radio group, by keyboard).
  await page.getByRole('link', { name: 'Readiness' }).click();
  await page.getByText(/for stage 1: \d+ met, \d+ gaps/).waitFor();
  await expect(page.getByRole('table').getByRole('row').count()).resolves.toBeGreaterThan(5);
  await checkPage(page, 'readiness');
  await page.getByRole('radio', { name: 'Stage 1' }).focus();
  await page.keyboard.press('ArrowRight');
  await page.getByText(/for stage 2: \d+ met, \d+ gaps/).waitFor();
  await page.close();
});

test('given the demo, when an approver approves the pending deployment from the inbox, then the gate answers allowed', async () => {
  const page = await signedIn(demo.tokens.approver.token);
  const { systemId, requestId, taskId } = demo.pendingDeployment;
  const entry = page
    .getByRole('list', { name: 'Open tasks' })
    .getByRole('listitem')
    .filter({ hasText: systemId })
    .filter({ hasText: 'deployment approval' });
  await entry.waitFor();
  await checkPage(page, 'tasks-approver');
  await entry.getByRole('link', { name: 'deployment approval' }).click();
  await page.getByRole('heading', { name: `Task ${taskId}` }).waitFor();
  await page.getByLabel('Comment').fill('Validation evidence reviewed in the console');
  await checkPage(page, 'task');
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByText('Decided: Approve.').waitFor();
  await checkPage(page, 'task-decided');

  const gate = await eventually(async () => {
    const answer = await api.as(demo.tokens.ci.token).get(`/v1/ai-systems/${systemId}/deployments/${requestId}`).expect(200);
    expect(answer.body.outcome).toBe('allowed');
    return answer.body as { outcome: string; requestStatus: string };
  }, 30_000);
  expect(gate.requestStatus).toBe('approved');

  await page.getByRole('link', { name: 'AI systems' }).click();
  await page.getByRole('row').filter({ hasText: systemId }).waitFor();
  await checkPage(page, 'ai-systems');
  await page.close();
});

test('given the demo, when the AIMS owner opens the AI policy, then version 2 is in force and version 1 obsolete, each with who reviewed and approved it', async () => {
  const page = await signedIn(demo.tokens.aims_owner.token);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Documents' }).click();
  await page.getByRole('heading', { name: 'Documents', level: 1 }).waitFor();
  const listed = page.getByRole('row').filter({ hasText: DEMO_POLICY_ID });
  await listed.waitFor();
  await expect(listed.textContent()).resolves.toMatch(/in force\s*version 2/);
  await checkPage(page, 'documents');

  await listed.getByRole('link', { name: 'AI policy' }).click();
  await page.getByRole('heading', { name: 'AI policy', level: 1 }).waitFor();
  expect(page.url()).toBe(`${base}/documents/${DEMO_POLICY_ID}`);
  const version = (n: number) => page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: `Version ${n}`, exact: true }) });
  await expect(version(2).getByRole('cell').first().textContent()).resolves.toBe('in force');
  await expect(version(1).getByRole('cell').first().textContent()).resolves.toBe('obsolete');
  for (const n of [1, 2]) {
    const text = await version(n).textContent();
    // Written by the AIMS owner, reviewed by a risk owner, approved by top management: each with the role it acted in.
    expect(text).toContain(`${demo.tokens.aims_owner.name} as aims owner`);
    expect(text).toContain(`${demo.tokens.risk_owner.name} as risk owner`);
    expect(text).toContain(`${demo.tokens.top_management.name} as top management`);
  }
  // Publication asked the validator (among others) to acknowledge; nobody has yet.
  await page
    .getByRole('table', { name: 'Acknowledgements' })
    .getByRole('row')
    .filter({ hasText: demo.tokens.validator.name })
    .filter({ hasText: 'outstanding' })
    .first()
    .waitFor();
  await checkPage(page, 'document');

  // The text each version was approved with, read from the content store by its digest.
  await version(2).getByRole('button', { name: 'Text of version 2' }).click();
  await expect(page.getByRole('region', { name: 'Text of version 2' }).locator('pre').textContent()).resolves.toContain(
    'Generative AI used by staff',
  );
  await version(1).getByRole('button', { name: 'Text of version 1' }).click();
  await page.getByRole('heading', { name: 'Text of version 1' }).waitFor();
  await expect(page.getByRole('region', { name: 'Text of version 1' }).locator('pre').textContent()).resolves.toMatch(/^# AI policy/);
  await expect(page.getByRole('region', { name: 'Text of version 1' }).locator('pre').textContent()).resolves.not.toContain(
    'Generative AI',
  );
  await checkPage(page, 'document-text');

  // As of a date before the demo, the document did not exist: said in plain words, the date kept in the address.
  await page.getByRole('textbox', { name: 'As of' }).fill('2001-01-01');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByRole('alert').filter({ hasText: DEMO_POLICY_ID }).waitFor();
  expect(page.url()).toBe(`${base}/documents/${DEMO_POLICY_ID}?asOf=2001-01-01`);

  // The master list: both published versions of the policy, the current one in force.
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Documents' }).click();
  await page.getByRole('navigation', { name: 'Documents' }).getByRole('link', { name: 'Master list' }).click();
  const published = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'AI policy' }) });
  await published.first().waitFor();
  await expect(published.count()).resolves.toBe(2);
  await expect(published.filter({ hasText: 'in force' }).getByRole('cell').first().textContent()).resolves.toBe('2');
  await expect(published.filter({ hasText: 'obsolete' }).getByRole('cell').first().textContent()).resolves.toBe('1');
  await checkPage(page, 'documents-master-list');
  await page.close();
});

test('given the demo, when an auditor opens People, a person and their appointment, then the appointment shows its role, who made it and that it holds', async () => {
  const page = await signedIn(demo.tokens.auditor.token);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'People' }).click();
  await page.getByRole('heading', { name: 'People', level: 1 }).waitFor();
  const validator = demo.tokens.validator.name;
  const listed = page.getByRole('row').filter({ hasText: validator });
  await listed.waitFor();
  await expect(listed.textContent()).resolves.toContain('validator');
  await checkPage(page, 'people');

  await listed.getByRole('link').first().click();
  await page.getByRole('heading', { name: 'Appointments' }).waitFor();
  expect(page.url()).toBe(`${base}/people/${validator}`);
  const appointments = page.getByRole('table', { name: /^Appointments of / }).getByRole('row');
  const appointment = appointments.filter({ has: page.getByRole('rowheader', { name: /^validator/ }) });
  await expect(appointment.textContent()).resolves.toMatch(
    new RegExp(`the whole AIMS.*${demo.tokens.aims_owner.name.replace(/\./g, '\\.')} as aims owner.*active`),
  );
  // The acting role names the appointment granting it, and links to it on the page.
  await page.getByRole('link', { name: new RegExp(`^${validator.replace(/\./g, '\\.')}-validator`) }).click();
  expect(page.url()).toMatch(new RegExp(`/people/${validator.replace(/\./g, '\\.')}#appointment-`));
  await page
    .getByRole('table', { name: /^Competence records of / })
    .getByRole('row')
    .filter({ hasText: 'model validation' })
    .filter({ hasText: 'current' })
    .waitFor();
  await page.getByText('No gap: the records meet what the roles require.').waitFor();
  await checkPage(page, 'person');

  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'People' }).click();
  await page.getByRole('navigation', { name: 'People' }).getByRole('link', { name: 'Role assignments' }).click();
  await page.getByRole('table', { name: 'Role assignments' }).getByRole('row').filter({ hasText: validator }).first().waitFor();
  await checkPage(page, 'role-assignments');

  await page.getByRole('navigation', { name: 'People' }).getByRole('link', { name: 'RACI' }).click();
  await page.getByRole('heading', { name: /^ai-system/ }).waitFor();
  await expect(page.getByRole('table').count()).resolves.toBeGreaterThan(3);
  await checkPage(page, 'raci');
  await page.close();
});

test('given the demo, when top management opens an objective, then its measurements show as a trend chart with the target and as a table', async () => {
  const page = await signedIn(demo.tokens.top_management.token);
  await page.getByRole('navigation').getByRole('link', { name: 'Objectives' }).click();
  await page.getByRole('heading', { name: 'AI objectives', level: 1 }).waitFor();
  // The demo's objective on open nonconformities finds its monitoring breach open: off target.
  const row = page.getByRole('row').filter({ hasText: 'OBJ-NO-OPEN-NC' });
  await row.waitFor();
  await expect(row.textContent()).resolves.toMatch(/open-nonconformities.*at most 0.*off target/);
  await expect(page.getByRole('row').filter({ hasText: 'OBJ-IMPACT-ASSESSED' }).count()).resolves.toBe(1);
  await checkPage(page, 'objectives');

  // Filtered by the server to objectives on target: the off-target one is gone.
  await page.getByRole('button', { name: /Latest measurement/ }).click();
  await page.getByRole('option', { name: 'on target', exact: true }).click();
  // The previous page stays shown until the server answers: wait for the answer to take it away.
  await row.waitFor({ state: 'detached' });
  await page.getByRole('row').filter({ hasText: 'OBJ-IMPACT-ASSESSED' }).waitFor();
  await page.getByRole('button', { name: /Latest measurement/ }).click();
  await page.getByRole('option', { name: 'off target', exact: true }).click();
  await row.waitFor();

  await row.getByRole('link', { name: 'OBJ-NO-OPEN-NC' }).click();
  await page.getByRole('heading', { name: 'No nonconformity stays open', level: 1 }).waitFor();
  expect(page.url()).toBe(`${base}/objectives/OBJ-NO-OPEN-NC`);
  // The chart (its own chunk, loaded now): an svg named by its summary, with the target line drawn in.
  const chart = page.getByRole('img', {
    name: /^Trend of open-nonconformities for OBJ-NO-OPEN-NC: \d+ measurements? from .*; target at most 0; latest \d+, off target/,
  });
  await chart.waitFor();
  await expect(chart.evaluate((el) => el.tagName.toLowerCase())).resolves.toBe('svg');
  await chart.getByText('target 0').waitFor();
  const table = page.getByRole('table', { name: 'Measurements of OBJ-NO-OPEN-NC, oldest first' });
  const measured = table.locator('tbody tr');
  await expect(measured.count()).resolves.toBeGreaterThan(0);
  await expect(measured.last().textContent()).resolves.toMatch(/at most 0.*off target/);
  await expect(page.getByText('ai-policy').count()).resolves.toBeGreaterThan(0);
  await checkPage(page, 'objective');

  // Its measure, linked from the objective: the same trend, and the objectives that use it.
  await page.getByRole('link', { name: 'open-nonconformities', exact: true }).click();
  await page.getByRole('heading', { name: 'Open nonconformities, by severity', level: 1 }).waitFor();
  await page.getByRole('img', { name: /^Trend of open-nonconformities: \d+ measurements? from .*; target at most 0/ }).waitFor();
  await page.getByRole('table', { name: 'Measurements of open-nonconformities, oldest first' }).waitFor();
  await page.getByRole('listitem').filter({ hasText: 'OBJ-NO-OPEN-NC' }).waitFor();
  await checkPage(page, 'measure');

  await page.getByRole('link', { name: 'Measures', exact: true }).click();
  await page.getByRole('heading', { name: 'Measures', level: 1 }).waitFor();
  await page.getByRole('row').filter({ hasText: 'production-impact-assessment-coverage' }).waitFor();
  await page.getByRole('heading', { name: 'Nonconformities', level: 2 }).waitFor();
  await page.getByText(/^\d+ of \d+$/).waitFor();
  await checkPage(page, 'measures');

  // The objective's address is a deep link: opened afresh, the same page and chart.
  await page.goto(`${base}/objectives/OBJ-IMPACT-ASSESSED`);
  await page.getByRole('heading', { name: 'Every AI system in production has a current approved impact assessment', level: 1 }).waitFor();
  await page.getByRole('img', { name: /^Trend of production-impact-assessment-coverage for OBJ-IMPACT-ASSESSED/ }).waitFor();
  await page.close();
});

test('given the demo, when an auditor opens Audits, then the programme, the internal audit with its samples, finding, nonconformity and report show', async () => {
  const period = `demo${demo.systems.creditScoring.slice('credit-scoring'.length)}`;
  const auditId = `IA-${period}-1`;
  const nonconformityId = `${auditId}-F1`;
  const stream = `ai-system-${demo.systems.creditScoring}`;
  const page = await signedIn(demo.tokens.auditor.token);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Audits' }).click();
  await page.getByRole('heading', { name: 'Internal audits', level: 1 }).waitFor();
  const audit = page.getByRole('table', { name: 'Internal audits' }).getByRole('row').filter({ hasText: auditId });
  await audit.waitFor();
  await expect(audit.textContent()).resolves.toMatch(/closed/);
  await page.getByRole('table', { name: 'Audit programmes' }).getByRole('row').filter({ hasText: period }).waitFor();
  await checkPage(page, 'audits');

  await page.getByRole('link', { name: period, exact: true }).click();
  await page.getByRole('heading', { name: `Audit programme ${period}` }).waitFor();
  await expect(page.getByRole('row').filter({ hasText: auditId }).count()).resolves.toBe(1);
  await checkPage(page, 'audit-programme');

  await page.getByRole('link', { name: auditId, exact: true }).click();
  await page.getByRole('heading', { name: 'Findings' }).waitFor();
  expect(page.url()).toBe(`${base}/audits/${auditId}`);
  await expect(page.getByRole('row').filter({ hasText: 'C1' }).first().textContent()).resolves.toMatch(/does not conform/);
  // The sample's records link to the stream they were sampled from (an auditor may read the evidence).
  const sampled = page.getByRole('table', { name: /^Sample S1/ }).getByRole('link', { name: stream, exact: true });
  await expect(sampled.count()).resolves.toBeGreaterThan(0);
  const finding = page.getByRole('table', { name: 'Findings' }).getByRole('row').filter({ hasText: 'F1' });
  await expect(finding.textContent()).resolves.toMatch(/minor nonconformity.*C1/);
  await expect(finding.textContent()).resolves.toMatch(/corrective action plan approved/);
  await page.getByText('The audit report as the evidence gives it (Markdown)').click();
  await page.locator('pre.report-text').filter({ hasText: auditId }).waitFor();
  await checkPage(page, 'audit');

  await finding.getByRole('link', { name: nonconformityId }).click();
  await page.getByRole('heading', { name: 'History' }).waitFor();
  expect(page.url()).toBe(`${base}/nonconformities/${nonconformityId}`);
  await page.goBack();
  await sampled.first().click();
  await page.getByRole('heading', { name: `Stream ${stream}` }).waitFor();
  await page.close();

  // A validator reads the audit (a deep link) but may not read the evidence log: no link to it.
  const validator = await signedIn(demo.tokens.validator.token);
  await validator.goto(`${base}/audits/${auditId}`);
  await validator.getByRole('heading', { name: 'Samples' }).waitFor();
  await validator
    .getByRole('table', { name: /^Sample S1/ })
    .getByText(stream)
    .first()
    .waitFor();
  await expect(validator.locator('a[href^="/evidence/"]').count()).resolves.toBe(0);
  await expect(validator.getByRole('link', { name: nonconformityId }).count()).resolves.toBe(1);
  await checkPage(validator, 'audit-validator');
  await validator.close();
});

test('given the demo, when an auditor opens Reviews, then the review shows its inputs verified against the evidence, minutes, decisions and sign-off', async () => {
  const page = await signedIn(demo.tokens.auditor.token);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Reviews' }).click();
  await page.getByRole('heading', { name: 'Management reviews' }).waitFor();
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: DEMO_REVIEW_ID, exact: true }) });
  await row.waitFor();
  await expect(row.textContent()).resolves.toMatch(/signed off/);
  await checkPage(page, 'reviews');

  await row.getByRole('link', { name: DEMO_REVIEW_ID, exact: true }).click();
  await page.getByRole('heading', { name: 'Management review (demo)', level: 1 }).waitFor();
  expect(page.url()).toBe(`${base}/reviews/${DEMO_REVIEW_ID}`);
  const inputs = page
    .getByRole('list', { name: 'Inputs' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading') });
  await expect(inputs.count()).resolves.toBe(11);
  await expect(inputs.first().textContent()).resolves.toMatch(/^9\.3\.2 a/);
  await page.getByRole('button', { name: 'Verify the inputs' }).click();
  await page.getByText(/^Inputs match the evidence at position \d+$/).waitFor();
  await page.getByText(/validation capacity is short/).waitFor();
  const decision = page.getByRole('table', { name: 'Decisions' }).getByRole('row').filter({ hasText: 'Appoint a second validator' });
  await expect(decision.textContent()).resolves.toMatch(/Resource need/);
  await expect(decision.getByRole('link', { name: /^improvement / }).count()).resolves.toBe(1);
  await page.getByText(/^Signed off by /).waitFor();
  await checkPage(page, 'review');

  // The next review the sign-off planned: its inputs not compiled yet, so the page previews them.
  await page
    .getByText(/^Next review: /)
    .getByRole('link')
    .click();
  await page.getByText(/^Not compiled yet: this is the pack as the evidence gives it now/).waitFor();
  await expect(
    page
      .getByRole('list', { name: 'Inputs' })
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading') })
      .count(),
  ).resolves.toBe(11);
  await checkPage(page, 'review-next');
  await page.close();
});

test('given an inventory longer than the window, when a reader tabs through it, then only the rows near the viewport are in the page and the keyboard reaches every row in order', async () => {
  // Sixty more systems than the demo's: more rows than a virtualised table renders whole.
  const ids = Array.from({ length: 60 }, (_, i) => `long-list-${String(i).padStart(2, '0')}`);
  for (let i = 0; i < ids.length; i += 6)
    await Promise.all(
      ids.slice(i, i + 6).map((id) =>
        api
          .as('engineer')
          .post('/v1/ai-systems', registrationBody(id, { name: `Long list ${id}` }))
          .expect(201),
      ),
    );
  await eventually(async () => {
    const listed = await api.as(demo.tokens.auditor.token).get('/v1/ai-systems?limit=500').expect(200);
    expect(listed.body.items.filter((s: { systemId: string }) => s.systemId.startsWith('long-list-'))).toHaveLength(ids.length);
  }, 60_000);
  const page = await signedIn(demo.tokens.auditor.token);
  await page.getByRole('link', { name: 'AI systems' }).click();
  const table = page.getByRole('table', { name: 'AI systems' });
  const rows = table.locator('tbody tr[aria-rowindex]');
  await rows.first().waitFor();
  // All loaded (one server page), the heading row counted: aria-rowcount says how many; far fewer are in the page.
  const total = Number(await table.getAttribute('aria-rowcount')) - 1;
  expect(total).toBeGreaterThanOrEqual(ids.length + 3);
  await expect(rows.count()).resolves.toBeLessThan(total);
  await expect(rows.first().getAttribute('aria-rowindex')).resolves.toBe('2');

  // Tab from the first system's link: each Tab reaches the next row's link, rendered as it comes near.
  await table.getByRole('link').first().focus();
  const reached: number[] = [];
  for (let k = 1; k < total; k++) {
    await page.keyboard.press('Tab');
    reached.push(await page.evaluate<number>(`Number(document.activeElement?.closest('tr')?.getAttribute('aria-rowindex') ?? 0)`));
  }
  expect(reached).toEqual(Array.from({ length: total - 1 }, (_, k) => k + 3));
  await expect(rows.count()).resolves.toBeLessThan(total);
  await checkPage(page, 'ai-systems-long');
  await page.close();
}, 300_000);

test('given a signed checkpoint, when an auditor opens the evidence and asks for an event’s inclusion proof, then the checkpoint shows and the proof is verified in the browser', async () => {
  // What `aims evidence checkpoint` (and the worker's scheduler, given AIMS_CHECKPOINT_KEY) does: sign the
  // tree as it stands with the log's key, under the origin the API is configured with.
  const key = parseSignerKey(generateSignerKey('aims-console-e2e').signerKey);
  const signed = await signCheckpoint(api.events, api.config.checkpoints.origin, key);
  const root = signed.rootHash.toString('base64');
  const page = await signedIn(demo.tokens.auditor.token);
  await page.getByRole('link', { name: 'Evidence' }).click();
  const checkpoint = page.getByRole('region', { name: 'Latest signed checkpoint' });
  await checkpoint.getByText(`${signed.treeSize} events`, { exact: true }).waitFor();
  await expect(checkpoint.getByText(root, { exact: true }).count()).resolves.toBe(1);
  await expect(checkpoint.getByText(signed.origin, { exact: true }).count()).resolves.toBe(1);
  await expect(checkpoint.getByRole('listitem').allTextContents()).resolves.toEqual([
    `aims-console-e2e (key hash ${key.keyHash.toString(16).padStart(8, '0')})`,
  ]);
  // The signed note byte for byte, as text.
  await expect(checkpoint.locator('pre').textContent()).resolves.toBe(signed.note);
  await checkPage(page, 'evidence-checkpoint');

  const stream = `ai-system-${demo.pendingDeployment.systemId}`;
  await page.goto(`${base}/evidence/streams/${stream}`);
  const first = page
    .getByRole('list', { name: `Evidence of ${stream}, oldest first` })
    .getByRole('listitem')
    .first();
  const toggle = first.getByRole('button', { name: 'Inclusion proof' });
  await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
  await toggle.click();
  const verified = first.getByText(/verified in this browser/);
  await verified.waitFor();
  await expect(verified.textContent()).resolves.toContain(
    `Included in the signed tree of size ${signed.treeSize} (root ${root}): verified in this browser`,
  );
  await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
  await checkPage(page, 'stream-inclusion-proof');
  // A toggle, by keyboard too: pressed again, the proof is put away.
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
  await expect(verified.count()).resolves.toBe(0);
  await page.close();
});
