/**
 * Throttling of failed authentications per client address through the real app (issue 11, finding 9):
 * after AIMS_THROTTLE_AUTH_FAILURES bad credentials an address gets 429 with Retry-After, even with a good
 * token; X-Forwarded-For names the client only when AIMS_TRUST_PROXY says the proxy may.
 */
import request from 'supertest';
import { newSigningKey, signJwt } from '../support/jwks-server';
import { startApiHarness, type ApiHarness } from './support/api-harness';

type Server = Parameters<typeof request>[0];
const BAD = `Bearer aims_${'0'.repeat(16)}_${'A'.repeat(43)}`;

describe('throttling failed authentications', () => {
  let api: ApiHarness;

  afterEach(async () => {
    await api?.close();
  });

  const call = (authorization: string, forwardedFor?: string) => {
    const r = request(api.server as Server)
      .get('/v1/ai-systems')
      .set('Authorization', authorization);
    return forwardedFor === undefined ? r : r.set('X-Forwarded-For', forwardedFor);
  };

  it('given three failures allowed, when a fourth attempt comes, then 429 with Retry-After, even for a valid token', async () => {
    api = await startApiHarness({ AIMS_THROTTLE_AUTH_FAILURES: '3/60' });
    const good = `Bearer ${api.tokens.auditor}`;
    for (let i = 0; i < 3; i++) await call(BAD).expect(401);
    // Missing credentials are not guesses: they do not count (and are still answered 401).
    await request(api.server as Server)
      .get('/v1/ai-systems')
      .expect(401);
    const throttled = await call(good);
    expect(throttled.status).toBe(429);
    expect(throttled.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(throttled.body).toMatchObject({ status: 429, code: 'TOO_MANY_FAILED_AUTHENTICATIONS', title: 'Too Many Requests' });
    const retryAfter = Number(throttled.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Without a trusted proxy, X-Forwarded-For is the client's own say: it does not escape the throttle.
    expect((await call(good, '203.0.113.7')).status).toBe(429);
    // Public routes are not authenticated, so not throttled.
    await request(api.server as Server)
      .get('/health')
      .expect(200);
  });

  it('given a trusted proxy, when clients behind it fail, then each forwarded address is throttled on its own', async () => {
    api = await startApiHarness({ AIMS_THROTTLE_AUTH_FAILURES: '2/60', AIMS_TRUST_PROXY: 'loopback' });
    const good = `Bearer ${api.tokens.auditor}`;
    for (let i = 0; i < 2; i++) await call(BAD, '203.0.113.7').expect(401);
    expect((await call(good, '203.0.113.7')).status).toBe(429);
    await call(good, '203.0.113.8').expect(200);
  });

  it("given the identity provider's keys cannot be fetched, when JWTs fail, then callers are not locked out for our outage", async () => {
    api = await startApiHarness({
      AIMS_THROTTLE_AUTH_FAILURES: '2/60',
      AIMS_JWT_JWKS_URL: 'http://127.0.0.1:1/jwks.json',
      AIMS_JWT_ISSUER: 'https://idp/',
      AIMS_JWT_AUDIENCE: 'aims',
    });
    const jwt = signJwt(newSigningKey('ES256', 'k'), {
      iss: 'https://idp/',
      aud: 'aims',
      sub: 'u',
      exp: Math.floor(Date.now() / 1000) + 60,
    });
    for (let i = 0; i < 3; i++) expect((await call(`Bearer ${jwt}`)).body.detail).toMatch(/jwks-unavailable/);
    await call(`Bearer ${api.tokens.auditor}`).expect(200);
  });
});
