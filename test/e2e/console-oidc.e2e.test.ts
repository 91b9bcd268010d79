/**
 * Console sign-in with an identity provider (issue 18), against a real one: panva's oidc-provider in its own
 * process (support/oidc-provider.mjs), configured as an organisation would for the console (a public
 * client, PKCE required, access tokens as ES256 JWTs for the API's audience carrying the roles claim), and
 * the real API (AIMS_JWT_* pointing at that provider, AIMS_OIDC_CLIENT_ID set) serving the console built
 * from apps/console, driven in Debian's Chromium:
 *  - a person signs in through the provider's own login and consent pages and lands on My tasks with the
 *    roles the provider gave; no address the tab visited, and no request it made, carried the token;
 *  - declining at the provider, or a callback nobody started, is said in plain words and keeps nothing;
 *  - GET /v1/auth/oidc tells the console about the provider, and the console's CSP lets it reach the
 *    provider's origin only when one is configured.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { consoleCsp, CONSOLE_CSP } from '../../apps/api/src/edge/security-headers';
import { startApiHarness, type ApiHarness } from './support/api-harness';
import { buildConsole, launchChromium } from './support/console-browser';

const ROOT = path.resolve(__dirname, '../..');
const SHOTS = path.join(ROOT, 'test-results', 'console');
const AXE_SOURCE = fs.readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const CLIENT_ID = 'aims-console';
const AUDIENCE = 'urn:aims:test-api';
const ACCOUNTS = {
  'alice@example.org': { name: 'Alice Approver', roles: ['aims:approver', 'aims:risk_owner', 'unrelated-app-admin'] },
  'bob@example.org': { name: 'Bob Elsewhere', roles: ['admin'] },
};

let consoleDir: string;
let userDataDir: string;
let idp: ChildProcessWithoutNullStreams;
let idpLog = '';
let issuer: string;
let api: ApiHarness;
let base: string;
let browser: BrowserContext;

/** A port free now, for the API: the provider must know the console's redirect URI before the API starts. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startProvider(redirectUri: string): Promise<{ issuer: string; jwksUri: string }> {
  idp = spawn(process.execPath, [path.join(__dirname, 'support', 'oidc-provider.mjs')], {
    env: {
      ...process.env,
      AIMS_TEST_IDP_CLIENT_ID: CLIENT_ID,
      AIMS_TEST_IDP_REDIRECT_URI: redirectUri,
      AIMS_TEST_IDP_AUDIENCE: AUDIENCE,
      AIMS_TEST_IDP_ACCOUNTS: JSON.stringify(ACCOUNTS),
    },
  });
  idp.stderr.on('data', (chunk: Buffer) => (idpLog += chunk.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    idp.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]) as { issuer: string; jwksUri: string });
    });
    idp.on('exit', (code) => reject(new Error(`the identity provider exited (${code}): ${idpLog}`)));
  });
}

beforeAll(async () => {
  consoleDir = buildConsole('aims-console-oidc-');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const provider = await startProvider(`${base}/auth/callback`);
  issuer = provider.issuer;
  api = await startApiHarness({
    AIMS_CONSOLE_DIR: consoleDir,
    AIMS_JWT_JWKS_URL: provider.jwksUri,
    AIMS_JWT_ISSUER: issuer,
    AIMS_JWT_AUDIENCE: AUDIENCE,
    AIMS_OIDC_CLIENT_ID: CLIENT_ID,
  });
  await api.app.listen(port, '127.0.0.1');
  fs.mkdirSync(SHOTS, { recursive: true });
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-console-oidc-chromium-'));
  // The provider's development pages import a web font; nothing leaves this machine.
  browser = await launchChromium(userDataDir, ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1']);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  if (idp !== undefined && idp.exitCode === null) {
    idp.removeAllListeners('exit');
    const exited = new Promise((resolve) => idp.once('exit', resolve));
    idp.kill('SIGTERM');
    await exited;
  }
  for (const dir of [consoleDir, userDataDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface Watched {
  page: Page;
  /** Every address the tab's main frame showed, and every URL it requested. */
  addresses: string[];
  requested: string[];
  errors: string[];
}

function watched(page: Page): Watched {
  const w: Watched = { page, addresses: [], requested: [], errors: [] };
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) w.addresses.push(frame.url());
  });
  page.on('request', (r) => w.requested.push(r.url()));
  page.on('console', (message) => {
    // The provider's pages are not the console's: only errors on the console's origin count.
    if (message.type() === 'error' && page.url().startsWith(base) && !/status of 4\d\d/.test(message.text())) w.errors.push(message.text());
  });
  page.on('pageerror', (error) => w.errors.push(error.message));
  return w;
}

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>;
}

/** axe finds no serious or critical violation and nothing broke the console's CSP; then the screenshot. */
async function checkPage(w: Watched, name: string, alerts: unknown[] = []): Promise<void> {
  await w.page.evaluate(AXE_SOURCE);
  const result = await w.page.evaluate<AxeResult>('axe.run(document, { resultTypes: ["violations"] })');
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
  expect(w.errors).toEqual([]);
  expect([name, await w.page.getByRole('alert').allTextContents()]).toEqual([name, alerts]);
  await w.page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const idpHost = () => new URL(issuer).host;

/** From the console's sign-in page to the provider's login form (without the session an earlier sign-in left there). */
async function toProvider(w: Watched): Promise<void> {
  await browser.clearCookies();
  await w.page.goto(`${base}/`);
  await w.page.getByRole('button', { name: `Sign in with ${idpHost()}` }).click();
  await w.page.waitForURL((url) => url.origin === new URL(issuer).origin);
  await w.page.locator('input[name="login"]').waitFor();
}

describe('GET /v1/auth/oidc and the console CSP', () => {
  it('given AIMS_OIDC_CLIENT_ID, when the console asks before sign-in, then it names the provider, and its CSP lets it reach that origin only', async () => {
    const server = api.server as Parameters<typeof request>[0];
    const answer = await request(server).get('/v1/auth/oidc').expect(200);
    expect(answer.body).toEqual({ enabled: true, issuer, clientId: CLIENT_ID, scopes: ['openid'], audience: AUDIENCE });
    const page = await request(server).get('/').set('Accept', 'text/html').expect(200);
    expect(page.headers['content-security-policy']).toBe(consoleCsp(new URL(issuer).origin));
    expect(page.headers['content-security-policy']).toContain(`connect-src 'self' ${new URL(issuer).origin};`);
    // The callback is a deep link the console serves; the API's own answers stay under the strict API policy.
    const callback = await request(server).get('/auth/callback?code=x&state=y').set('Accept', 'text/html').expect(200);
    expect(callback.headers['content-security-policy']).toBe(page.headers['content-security-policy']);
    expect(answer.headers['content-security-policy']).not.toContain(new URL(issuer).origin);
  });

  it('given no AIMS_OIDC_CLIENT_ID, when asked, then enabled is false and the console CSP names no other origin', async () => {
    const plain = await startApiHarness({ AIMS_CONSOLE_DIR: consoleDir });
    try {
      const server = plain.server as Parameters<typeof request>[0];
      const answer = await request(server).get('/v1/auth/oidc').expect(200);
      expect(answer.body).toEqual({ enabled: false, issuer: null, clientId: null, scopes: [], audience: null });
      const page = await request(server).get('/').set('Accept', 'text/html').expect(200);
      expect(page.headers['content-security-policy']).toBe(CONSOLE_CSP);
    } finally {
      await plain.close();
    }
  });
});

describe('signing in with the identity provider', () => {
  it('given an account with aims roles, when it signs in at the provider, then My tasks shows its roles and no address carried the token', async () => {
    const w = watched(await browser.newPage());
    await w.page.goto(`${base}/`);
    await w.page.getByRole('button', { name: `Sign in with ${idpHost()}` }).waitFor();
    await checkPage(w, 'sign-in-oidc');
    await w.page.getByRole('button', { name: `Sign in with ${idpHost()}` }).click();
    await w.page.waitForURL((url) => url.origin === new URL(issuer).origin);
    // What the console asked for: a code, with an S256 challenge, for the API's audience.
    const authorize = new URL(w.requested.find((u) => u.startsWith(`${issuer}/auth?`)) ?? 'about:blank');
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `${base}/auth/callback`,
      code_challenge_method: 'S256',
      resource: AUDIENCE,
      scope: 'openid',
    });
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The provider's own development login and consent pages (any password).
    await w.page.locator('input[name="login"]').fill('alice@example.org');
    await w.page.locator('input[name="password"]').fill('any password');
    await w.page.getByRole('button', { name: 'Sign-in' }).click();
    await w.page.getByRole('button', { name: 'Continue' }).click();

    await w.page.getByRole('heading', { name: 'My tasks' }).waitFor();
    await expect(w.page.locator('header .who').textContent()).resolves.toBe('Alice Approver (approver, risk_owner)');
    await checkPage(w, 'tasks-oidc');
    expect(idpLog).not.toMatch(/server_error|grant\.error|authorization\.error/);

    // The access token: a JWT for the API kept in this tab's sessionStorage; the sign-in's secrets are gone.
    const token = await w.page.evaluate<string>('sessionStorage.getItem("aims.console.token")');
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: issuer, aud: AUDIENCE, sub: 'alice@example.org' });
    await expect(w.page.evaluate('Object.keys(sessionStorage)')).resolves.toEqual(['aims.console.token']);
    await expect(w.page.evaluate('localStorage.length')).resolves.toBe(0);
    // The code came back in the address and left it at once; the token was never in any address or URL.
    expect(w.addresses.some((a) => a.startsWith(`${base}/auth/callback?`) && a.includes('code='))).toBe(true);
    expect(w.page.url()).toBe(`${base}/`);
    await expect(w.page.evaluate('history.length')).resolves.toBeGreaterThan(1);
    for (const url of [...w.addresses, ...w.requested]) expect(url).not.toContain(token);
    // What the API records is the provider's identity, with the roles it granted.
    const me = await request(api.server as Parameters<typeof request>[0])
      .get('/v1/me')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(me.body).toMatchObject({ name: 'Alice Approver', roles: ['approver', 'risk_owner'], authenticatedBy: 'jwt' });

    // Signing out forgets the token; the provider's button is offered again.
    await w.page.getByRole('button', { name: 'Sign out' }).click();
    await w.page.getByRole('button', { name: `Sign in with ${idpHost()}` }).waitFor();
    await expect(w.page.evaluate('sessionStorage.length')).resolves.toBe(0);
    await w.page.close();
  });

  it('given a person who cancels at the provider, when sent back, then the console says it was declined and keeps nothing', async () => {
    const w = watched(await browser.newPage());
    await toProvider(w);
    await w.page.getByRole('link', { name: '[ Cancel ]' }).click();
    await w.page.getByRole('alert').filter({ hasText: 'The sign-in was declined' }).waitFor();
    await expect(w.page.getByRole('alert').textContent()).resolves.toContain('End-User aborted interaction');
    expect(w.page.url()).toBe(`${base}/auth/callback`);
    await expect(w.page.evaluate('sessionStorage.length')).resolves.toBe(0);
    await checkPage(w, 'sign-in-oidc-declined', [expect.stringContaining('The sign-in was declined')]);
    await w.page.getByRole('link', { name: 'Back to sign-in' }).click();
    await w.page.getByRole('button', { name: `Sign in with ${idpHost()}` }).waitFor();
    await w.page.close();
  });

  it('given an account whose provider roles grant no aims role, when it signs in, then the console says so and keeps nothing', async () => {
    const w = watched(await browser.newPage());
    await toProvider(w);
    await w.page.locator('input[name="login"]').fill('bob@example.org');
    await w.page.locator('input[name="password"]').fill('any password');
    await w.page.getByRole('button', { name: 'Sign-in' }).click();
    await w.page.getByRole('button', { name: 'Continue' }).click();
    await w.page.getByRole('alert').filter({ hasText: 'You are known, but hold no aims role' }).waitFor();
    expect(w.page.url()).toBe(`${base}/auth/callback`);
    await expect(w.page.evaluate('sessionStorage.length')).resolves.toBe(0);
    await w.page.close();
  });

  it('given a callback this tab did not start, when opened, then nothing is exchanged and the console says so', async () => {
    const w = watched(await browser.newPage());
    await w.page.goto(`${base}/auth/callback?code=someone-elses-code&state=forged`);
    await w.page.getByRole('alert').filter({ hasText: 'No sign-in was started in this tab' }).waitFor();
    expect(w.page.url()).toBe(`${base}/auth/callback`);
    expect(w.requested.filter((u) => u.startsWith(issuer))).toEqual([]);
    await expect(w.page.evaluate('sessionStorage.length')).resolves.toBe(0);
    await w.page.close();
  });

  it('given a started sign-in, when a callback with another state arrives, then its code is not exchanged', async () => {
    const w = watched(await browser.newPage());
    await toProvider(w);
    await w.page.goto(`${base}/auth/callback?code=someone-elses-code&state=forged&error=access_denied&error_description=phish`);
    await w.page.getByRole('alert').filter({ hasText: 'The sign-in could not be confirmed' }).waitFor();
    await expect(w.page.getByRole('alert').textContent()).resolves.not.toContain('phish');
    expect(w.requested.filter((u) => u.startsWith(`${issuer}/token`))).toEqual([]);
    await expect(w.page.evaluate('sessionStorage.length')).resolves.toBe(0);
    await w.page.close();
  });
});
