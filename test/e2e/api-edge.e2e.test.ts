/**
 * The API's edge through the real app (issue 11, finding 9): security headers, well-formed Unicode, the
 * throttling of failed authentications and of full-chain verification, and an OpenAPI document that
 * describes what the edge can answer. Temporal is not needed: nothing here reaches a process.
 */
import request from 'supertest';
import { ConcurrencyLimit, VERIFY_LIMIT } from '../../apps/api/src/edge/throttling';
import { API_CSP, DOCS_CSP } from '../../apps/api/src/edge/security-headers';
import { registrationBody } from '../support/credit-scoring-requests';
import { startApiHarness, type ApiHarness } from './support/api-harness';

type Server = Parameters<typeof request>[0];

function expectProblem(response: request.Response, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
}

describe('the API edge', () => {
  let api: ApiHarness;
  let server: Server;

  beforeAll(async () => {
    api = await startApiHarness({ AIMS_API_HSTS_MAX_AGE: '31536000' });
    server = api.server as Server;
  });

  afterAll(async () => {
    await api?.close();
  });

  describe('security headers', () => {
    it.each([
      ['a public answer', '/health', undefined, 200],
      ['an authenticated answer', '/v1/ai-systems', 'auditor', 200],
      ['a refusal', '/v1/ai-systems', undefined, 401],
      ['an unknown route', '/nope', 'auditor', 404],
    ])('given %s, when it is sent, then it carries the headers and no X-Powered-By', async (_what, path, role, status) => {
      const r = request(server).get(path);
      const response = await (role === undefined ? r : r.set('Authorization', `Bearer ${api.tokens[role as 'auditor']}`));
      expect(response.status).toBe(status);
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'content-security-policy': API_CSP,
        'cache-control': 'no-store',
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
      });
      expect(response.headers['x-powered-by']).toBeUndefined();
    });

    it('given the OpenAPI page, when it is served, then its policy lets its own scripts run but nothing frame it', async () => {
      const response = await request(server).get('/docs').expect(200);
      expect(response.headers['content-security-policy']).toBe(DOCS_CSP);
      expect(response.headers['x-frame-options']).toBe('DENY');
      // Only scripts from this origin: an inline script would be blocked by script-src 'self'.
      expect(response.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    });

    it('given no HSTS setting, when answered, then no Strict-Transport-Security is sent', async () => {
      const plain = await startApiHarness();
      try {
        const response = await request(plain.server as Server)
          .get('/health')
          .expect(200);
        expect(response.headers['strict-transport-security']).toBeUndefined();
      } finally {
        await plain.close();
      }
    });
  });

  describe('well-formed Unicode', () => {
    it('given a lone surrogate in a body field, when registering, then 400 names the field and nothing starts', async () => {
      const body = JSON.stringify(registrationBody('lone-surrogate')).replace('"Credit scoring model"', '"Credit \\ud800 model"');
      const response = await request(server)
        .post('/v1/ai-systems')
        .set('Authorization', `Bearer ${api.tokens.aims_owner}`)
        .set('Content-Type', 'application/json')
        .send(body);
      expectProblem(response, 400);
      expect(response.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ field: 'name', messages: [expect.stringMatching(/well-formed/)] }],
      });
    });

    it('given a lone surrogate in a nested field, a key, or a lone low surrogate, when sent, then each is named', async () => {
      const send = (text: string) =>
        request(server)
          .post('/v1/ai-systems')
          .set('Authorization', `Bearer ${api.tokens.aims_owner}`)
          .set('Content-Type', 'application/json')
          .send(text);
      const nested = JSON.stringify(registrationBody('x')).replace('"in_house"', '"in_\\udc00house"');
      expect((await send(nested)).body.errors).toEqual([{ field: 'provider.kind', messages: [expect.any(String)] }]);
      const key = `{"odd\\ud800":1,${JSON.stringify(registrationBody('x')).slice(1)}`;
      expect((await send(key)).body.errors).toEqual([{ field: 'odd\ud800', messages: [expect.any(String)] }]);
      // A well-formed pair (an emoji) is text like any other: it passes this check (and validation goes on).
      const emoji = JSON.stringify(registrationBody('x', { name: 'Credit 🚀', riskTier: 'nope' }));
      expect((await send(emoji)).body.errors).toEqual([{ field: 'riskTier', messages: [expect.any(String)] }]);
    });

    it('given a path parameter that is not UTF-8, when asked, then 400 problem+json', async () => {
      const response = await request(server).get('/v1/ai-systems/%ED%A0%80').set('Authorization', `Bearer ${api.tokens.auditor}`);
      expectProblem(response, 400);
    });

    it('given a stranger sending a lone surrogate, when called, then 401 comes first', async () => {
      const response = await request(server).post('/v1/ai-systems').set('Content-Type', 'application/json').send('{"systemId":"\\ud800"}');
      expectProblem(response, 401);
    });
  });

  describe('OpenAPI', () => {
    it('given the document, when read, then every operation describes 400 and every authenticated one 429', async () => {
      const document = (await request(server).get('/docs/openapi.json').expect(200)).body as {
        paths: Record<string, Record<string, { responses: Record<string, { description: string }>; security?: unknown[] }>>;
      };
      let operations = 0;
      for (const [path, item] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(item)) {
          operations += 1;
          expect([path, method, Object.keys(operation.responses)]).toEqual([path, method, expect.arrayContaining(['400'])]);
          if (!['/health', '/ready', '/v1/auth/oidc'].includes(path)) {
            expect([path, method, Object.keys(operation.responses)]).toEqual([path, method, expect.arrayContaining(['401', '429'])]);
          }
        }
      }
      expect(operations).toBeGreaterThan(10);
      expect(document.paths['/v1/audit/verify']?.post?.responses['429']?.description).toMatch(/AIMS_VERIFY_MAX_CONCURRENT/);
    });
  });

  describe('a bound on full-chain verification', () => {
    it('given the verifications allowed are running, when another is asked, then 429 with Retry-After; once done, it runs', async () => {
      const limit = api.app.get<ConcurrencyLimit>(VERIFY_LIMIT);
      const finishers: Array<() => void> = [];
      const held = Promise.all(
        Array.from({ length: limit.max }, () => limit.tryRun(() => new Promise<void>((resolve) => finishers.push(resolve)))),
      );
      const busy = await request(server).post('/v1/audit/verify').set('Authorization', `Bearer ${api.tokens.auditor}`).send({});
      expectProblem(busy, 429);
      expect(busy.body).toMatchObject({ code: 'VERIFY_BUSY' });
      expect(Number(busy.headers['retry-after'])).toBeGreaterThan(0);
      for (const finish of finishers) finish();
      await held;
      await request(server).post('/v1/audit/verify').set('Authorization', `Bearer ${api.tokens.auditor}`).send({}).expect(200);
    });
  });
});
