/**
 * Authentication and roles through the real app: API tokens from the real token store (issued and revoked
 * with the real CLI command), JWTs from a local identity provider, the global guard on real routes.
 */
import Database from 'better-sqlite3';
import request from 'supertest';
import { formatToken, hashSecret, newTokenParts } from '../../infra/auth/api-token';
import { tokensCommand } from '../../apps/cli/src/commands/tokens.command';
import { newSigningKey, signJwt, startJwksServer, type JwksServer, type TestSigningKey } from '../support/jwks-server';
import { startApiHarness, type ApiHarness } from './support/api-harness';

const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'aims-e2e';

function expectProblem(response: request.Response, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, type: expect.stringMatching(/^urn:aims:problem:/), title: expect.any(String) });
}

describe('API authentication and roles', () => {
  let api: ApiHarness;
  let idp: JwksServer;
  let key: TestSigningKey;

  beforeAll(async () => {
    key = newSigningKey('ES256', 'e2e-1');
    idp = await startJwksServer([key]);
    api = await startApiHarness({ AIMS_JWT_JWKS_URL: idp.url, AIMS_JWT_ISSUER: ISSUER, AIMS_JWT_AUDIENCE: AUDIENCE });
  });

  afterAll(async () => {
    await api?.close();
    await idp?.close();
  });

  const get = (path: string, authorization?: string) => {
    const r = request(api.server as Parameters<typeof request>[0]).get(path);
    return authorization === undefined ? r : r.set('Authorization', authorization);
  };

  it('given no token, when an endpoint is called, then 401 problem+json with a Bearer challenge', async () => {
    const response = await get('/v1/ai-systems');
    expectProblem(response, 401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="aims"');
  });

  it.each([['Basic YWxpY2U6c2VjcmV0'], ['Bearer'], ['Bearer two tokens'], ['bearer']])(
    'given the malformed header "%s", when called, then 401 invalid_request',
    async (header) => {
      const response = await get('/v1/ai-systems', header);
      expectProblem(response, 401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="aims", error="invalid_request"');
    },
  );

  it('given a well-formed token that was never issued, or a tampered one, when called, then 401 invalid_token', async () => {
    const forged = `aims_${'0'.repeat(16)}_${'A'.repeat(43)}`;
    const tampered = `${api.tokens.auditor.slice(0, -1)}${api.tokens.auditor.endsWith('A') ? 'B' : 'A'}`;
    for (const token of [forged, tampered, 'not-a-token']) {
      const response = await get('/v1/ai-systems', `Bearer ${token}`);
      expectProblem(response, 401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="aims", error="invalid_token"');
    }
  });

  it('given a token revoked with `aims tokens revoke`, when it is used, then 401', async () => {
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t) };
    expect(await tokensCommand(['create', '--name', 'short-lived', '--role', 'engineer', '--store', api.storeUrl], io)).toBe(0);
    const token = out[0].trim();
    expect(token).toMatch(/^aims_[0-9a-f]{16}_/);
    await get('/v1/ai-systems', `Bearer ${token}`).expect(200);
    expect(await tokensCommand(['revoke', 'short-lived', '--store', api.storeUrl], io)).toBe(0);
    const response = await get('/v1/ai-systems', `Bearer ${token}`);
    expectProblem(response, 401);
    expect(response.body.detail).toMatch(/revoked/);
  });

  it('given a role the endpoint does not declare, when called, then 403 naming the roles needed', async () => {
    const response = await get('/v1/audit/events', `Bearer ${api.tokens.ci}`);
    expectProblem(response, 403);
    expect(response.body).toMatchObject({
      type: 'urn:aims:problem:role-required',
      requiredRoles: ['auditor', 'internal_auditor', 'aims_owner', 'admin'],
      actorRoles: ['ci'],
    });
  });

  it('given each role, when the audit trail is read, then exactly auditor, internal_auditor, aims_owner and admin may', async () => {
    const allowed: string[] = [];
    for (const [role, token] of Object.entries(api.tokens)) {
      const response = await get('/v1/audit/events', `Bearer ${token}`);
      expect([200, 403]).toContain(response.status);
      if (response.status === 200) allowed.push(role);
    }
    expect(allowed.sort()).toEqual(['admin', 'aims_owner', 'auditor', 'internal_auditor']);
  });

  it('given an auditor, when the chain is verified with POST, then it is allowed (it changes nothing)', async () => {
    const response = await request(api.server as Parameters<typeof request>[0])
      .post('/v1/audit/verify')
      .set('Authorization', `Bearer ${api.tokens.auditor}`)
      .send({})
      .expect(200);
    expect(response.body).toMatchObject({ intact: true });
  });

  it('given a JWT from the configured identity provider with an AIMS role, when the audit trail is read, then it is allowed', async () => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = signJwt(key, {
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'sso-user-7',
      preferred_username: 'audrey',
      exp: now + 300,
      roles: ['aims:auditor'],
    });
    await get('/v1/audit/events', `Bearer ${jwt}`).expect(200);
  });

  it("given a JWT whose IdP roles are bare names (another application's admin), when called, then it holds no AIMS role: 403", async () => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = signJwt(key, { iss: ISSUER, aud: AUDIENCE, sub: 'Sso-User-8', exp: now + 300, roles: ['admin', 'auditor'] });
    const response = await get('/v1/audit/events', `Bearer ${jwt}`);
    expectProblem(response, 403);
    // The actor is the subject's normalised identity.
    expect(response.body.detail).toMatch(/^sso-user-8 holds no AIMS role/);
  });

  it('given a JWT whose subject is in the reserved aims: namespace, when called, then 401: nobody authenticates as the engine', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const sub of ['aims:policy:auto-approval', 'AIMS:system']) {
      const jwt = signJwt(key, { iss: ISSUER, aud: AUDIENCE, sub, exp: now + 300, roles: ['aims:admin'] });
      const response = await get('/v1/audit/events', `Bearer ${jwt}`);
      expectProblem(response, 401);
      expect(response.body.detail).toMatch(/reserved-subject/);
    }
  });

  it('given a JWT with an exp, nbf or iat no date can hold, when called, then 401 (never a server error)', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const claims of [{ exp: 1e300 }, { exp: now + 300, nbf: 1e300 }, { exp: now + 300, iat: 1e20 }]) {
      const jwt = signJwt(key, { iss: ISSUER, aud: AUDIENCE, sub: 'u', roles: ['aims:auditor'], ...claims });
      const response = await get('/v1/audit/events', `Bearer ${jwt}`);
      expectProblem(response, 401);
      expect(response.body.detail).toMatch(/malformed/);
    }
  });

  it('given an API token whose name was stored before names were normalised, when used, then the actor is the normalised identity', async () => {
    // Written as an earlier release stored it: the name as given, not normalised.
    const parts = newTokenParts();
    const db = new Database(api.storeUrl.slice('sqlite:'.length));
    try {
      db.prepare(
        `INSERT INTO api_tokens (id, name, roles, salt, secret_hash, created_at, created_by, expires_at, revoked_at, revoked_by)
         VALUES (?, 'Legacy.Name', '["ci"]', 'ab', ?, '2025-01-01T00:00:00.000Z', NULL, NULL, NULL, NULL)`,
      ).run(parts.id, hashSecret('ab', parts.secret));
    } finally {
      db.close();
    }
    const response = await get('/v1/audit/events', `Bearer ${formatToken(parts)}`);
    expectProblem(response, 403);
    expect(response.body.detail).toMatch(/^legacy\.name holds ci/);
  });

  it('given a JWT for another audience, or one without any AIMS role, when called, then 401 and 403', async () => {
    const now = Math.floor(Date.now() / 1000);
    const otherAudience = signJwt(key, { iss: ISSUER, aud: 'another-app', sub: 'u', exp: now + 300, roles: ['aims:auditor'] });
    const response = await get('/v1/audit/events', `Bearer ${otherAudience}`);
    expectProblem(response, 401);
    expect(response.body.detail).toMatch(/wrong-audience/);
    const noRoles = signJwt(key, { iss: ISSUER, aud: AUDIENCE, sub: 'u', exp: now + 300, roles: ['offline_access'] });
    expectProblem(await get('/v1/audit/events', `Bearer ${noRoles}`), 403);
  });

  it('given the health endpoints, when called without a token, then they answer', async () => {
    await get('/health').expect(200);
  });
});
