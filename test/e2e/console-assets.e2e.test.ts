/**
 * How the API serves the web console (apps/api/src/console/console-assets.ts): index.html at `/` and at
 * any deep link a browser asks for, hashed assets cacheable, the console's own CSP; and never in the way
 * of the API: unknown /v1 paths, /health, /ready, /docs and /openapi* answer as before, a missing asset
 * or a deep link asked for as JSON is a problem+json 404, and the OpenAPI document does not list `/`.
 * The folder here holds a minimal page standing in for the build (the real build is what
 * console-browser.e2e.test.ts loads in Chromium).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { CONSOLE_CSP, API_CSP } from '../../apps/api/src/edge/security-headers';
import { startApiHarness, type ApiHarness } from './support/api-harness';

const INDEX =
  '<!doctype html><html lang="en"><head><title>aims console</title><script type="module" src="/assets/app-1a2b.js"></script></head><body></body></html>';

let dir: string;
let api: ApiHarness;
let server: Parameters<typeof request>[0];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-console-assets-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), INDEX);
  fs.writeFileSync(path.join(dir, 'assets', 'app-1a2b.js'), 'console.log("console");\n');
  api = await startApiHarness({ AIMS_CONSOLE_DIR: dir });
  server = api.server as Parameters<typeof request>[0];
});

afterAll(async () => {
  await api?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the console at /', () => {
  it('given a browser, when it opens / or a deep link, then it gets index.html with the console CSP and no cache', async () => {
    for (const url of ['/', '/tasks', '/ai-systems/credit-scoring', '/evidence/streams/ai-system-x', '/nonconformities/aims%3Anc-1']) {
      const page = await request(server).get(url).set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8').expect(200);
      expect([url, page.headers['content-type']]).toEqual([url, expect.stringMatching(/^text\/html/)]);
      expect(page.text).toBe(INDEX);
      expect(page.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('given a hashed asset, when fetched, then it is served for a year, immutable, with the console CSP', async () => {
    const asset = await request(server).get('/assets/app-1a2b.js').expect(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-security-policy']).toBe(CONSOLE_CSP);
  });

  it('given a missing asset, a deep link asked for as JSON, or a write, when sent, then problem+json as for any unknown path', async () => {
    for (const url of ['/assets/nope.js', '/favicon.ico']) {
      const missing = await request(server).get(url).set('Accept', 'text/html').expect(404);
      expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    const json = await request(server).get('/tasks').set('Accept', 'application/json').expect(404);
    expect(json.headers['content-type']).toMatch(/application\/problem\+json/);
    // A client that names no type is no browser: the unknown path stays the API's 404.
    const bare = await request(server).get('/nope').unset('Accept').expect(404);
    expect(bare.headers['content-type']).toMatch(/application\/problem\+json/);
    await request(server).post('/tasks').set('Accept', 'text/html').send({}).expect(404);
    // Outside the folder: never served.
    await request(server).get('/assets/..%2f..%2fpackage.json').set('Accept', 'text/html').expect(404);
  });
});

describe('the API is never shadowed', () => {
  it('given API paths a browser asks for, when fetched, then the API answers them, unknown ones with problem+json', async () => {
    const html = 'text/html';
    const unknown = await request(server).get('/v1/nope').set('Accept', html).expect(404);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(unknown.headers['content-security-policy']).toBe(API_CSP);
    await request(server).get('/v1/me').set('Accept', html).expect(401);
    expect((await request(server).get('/health').set('Accept', html).expect(200)).body).toMatchObject({ status: 'ok' });
    await request(server)
      .get('/ready')
      .set('Accept', html)
      .expect((r) => expect(r.headers['content-type']).toMatch(/json/));
    await request(server).get('/docs/openapi.json').set('Accept', html).expect(200);
    for (const url of ['/openapi', '/openapi.json', '/metrics', '/v1']) {
      const answer = await request(server).get(url).set('Accept', html).expect(404);
      expect([url, answer.headers['content-type']]).toEqual([url, expect.stringMatching(/application\/problem\+json/)]);
    }
  });

  it('given the OpenAPI document, when read, then it lists no console route, and /v1/me with its roles', async () => {
    const document = (await request(server).get('/docs/openapi.json').expect(200)).body as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths).filter((p) => !/^\/(v1|health|ready)/.test(p))).toEqual([]);
    expect(document.paths['/v1/me']).toBeDefined();
  });

  it('given a token, when /v1/me is asked, then it names the caller and roles', async () => {
    const me = await request(server).get('/v1/me').set('Authorization', `Bearer ${api.tokens.approver}`).expect(200);
    expect(me.body).toEqual({
      id: 'approver-token',
      name: 'approver-token',
      roles: ['approver'],
      authenticatedBy: 'api-token',
      personId: null,
    });
  });
});

describe('without a built console', () => {
  it('given no index.html in the folder, when / is asked, then 404 problem+json (the API serves on)', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'aims-console-empty-'));
    const bare = await startApiHarness({ AIMS_CONSOLE_DIR: empty });
    try {
      const root = await request(bare.server as Parameters<typeof request>[0])
        .get('/')
        .set('Accept', 'text/html')
        .expect(404);
      expect(root.headers['content-type']).toMatch(/application\/problem\+json/);
    } finally {
      await bare.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
