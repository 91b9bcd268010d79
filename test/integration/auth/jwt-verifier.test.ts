import { createHmac } from 'node:crypto';
import { JwksJwtVerifier, JwtRejectedError } from '../../../infra/auth/jwt-verifier';
import type { JwtAuthConfig } from '../../../infra/config/config';
import { JwksServer, newSigningKey, signJwt, startJwksServer, TestSigningKey } from '../../support/jwks-server';

const ISSUER = 'https://idp.example.test/realms/aims';
const AUDIENCE = 'aims-api';
const NOW_S = Math.floor(Date.UTC(2026, 0, 15, 12) / 1000);
const NOW_MS = NOW_S * 1000;

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'user-42',
    preferred_username: 'alice',
    exp: NOW_S + 300,
    iat: NOW_S - 10,
    roles: ['aims:approver', 'some-other-app-role', 'admin'],
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof JwtRejectedError) return error.reason;
    throw error;
  }
  throw new Error('expected the token to be rejected');
}

describe('JWT validation against a JWKS', () => {
  let rsa: TestSigningKey;
  let ec: TestSigningKey;
  let server: JwksServer;
  let config: JwtAuthConfig;

  beforeAll(async () => {
    rsa = newSigningKey('RS256', 'rsa-1');
    ec = newSigningKey('ES256', 'ec-1');
    server = await startJwksServer([rsa, ec]);
    config = { jwksUrl: server.url, issuer: ISSUER, audience: AUDIENCE, rolesClaim: 'roles', rolePrefix: 'aims:', roleMap: {} };
  });

  afterAll(async () => {
    await server?.close();
  });

  it('given an RS256 token from the provider, when verified, then the caller is its subject with the prefixed AIMS roles only (a bare admin grants nothing)', async () => {
    const identity = await new JwksJwtVerifier(config).verify(signJwt(rsa, claims()), NOW_MS);
    expect(identity).toEqual({
      subject: 'user-42',
      issuer: ISSUER,
      name: 'alice',
      roles: ['approver'],
      expiresAt: new Date((NOW_S + 300) * 1000).toISOString(),
    });
  });

  it('given an ES256 token, when verified, then it is accepted', async () => {
    const identity = await new JwksJwtVerifier(config).verify(signJwt(ec, claims({ roles: 'aims:auditor aims:engineer auditor' })), NOW_MS);
    expect(identity.roles).toEqual(['auditor', 'engineer']);
  });

  it('given roles in a nested claim, when the roles claim is a dotted path, then they are found', async () => {
    const verifier = new JwksJwtVerifier({ ...config, rolesClaim: 'realm_access.roles' });
    const identity = await verifier.verify(
      signJwt(rsa, claims({ roles: undefined, realm_access: { roles: ['aims:risk_owner', 'offline_access'] } })),
      NOW_MS,
    );
    expect(identity.roles).toEqual(['risk_owner']);
  });

  it('given a literal top-level claim named like the dotted path, when verified, then only the nested claim counts', async () => {
    const verifier = new JwksJwtVerifier({ ...config, rolesClaim: 'realm_access.roles' });
    const shadowed = await verifier.verify(
      signJwt(rsa, claims({ roles: undefined, 'realm_access.roles': ['aims:admin'], realm_access: { roles: ['aims:auditor'] } })),
      NOW_MS,
    );
    expect(shadowed.roles).toEqual(['auditor']);
    const only = await verifier.verify(signJwt(rsa, claims({ roles: undefined, 'realm_access.roles': ['aims:admin'] })), NOW_MS);
    expect(only.roles).toEqual([]);
  });

  it('given an explicit role map, when verified, then mapped IdP roles grant their AIMS roles; with prefix none only the map grants', async () => {
    const verifier = new JwksJwtVerifier({ ...config, rolePrefix: null, roleMap: { 'grc-approvers': ['approver', 'risk_owner'] } });
    const identity = await verifier.verify(signJwt(rsa, claims({ roles: ['grc-approvers', 'aims:admin', 'admin'] })), NOW_MS);
    expect(identity.roles).toEqual(['approver', 'risk_owner']);
    const inherited = await verifier.verify(signJwt(rsa, claims({ roles: ['constructor', '__proto__', 'toString'] })), NOW_MS);
    expect(inherited.roles).toEqual([]);
  });

  it('given a jti, when verified, then it names the token', async () => {
    const identity = await new JwksJwtVerifier(config).verify(signJwt(rsa, claims({ jti: 'tok-9' })), NOW_MS);
    expect(identity.tokenId).toBe('tok-9');
  });

  it('given an audience list containing ours, when verified, then it is accepted', async () => {
    await expect(new JwksJwtVerifier(config).verify(signJwt(rsa, claims({ aud: ['other', AUDIENCE] })), NOW_MS)).resolves.toMatchObject({
      subject: 'user-42',
    });
  });

  it.each([
    ['wrong-issuer', () => claims({ iss: 'https://evil.example/' })],
    ['wrong-audience', () => claims({ aud: 'another-api' })],
    ['expired', () => claims({ exp: NOW_S - 120 })],
    ['not-yet-valid', () => claims({ nbf: NOW_S + 600 })],
    ['missing-claim', () => claims({ exp: undefined })],
    ['missing-claim', () => claims({ sub: undefined })],
    ['not-yet-valid', () => claims({ iat: NOW_S + 600 })],
    // Instants no Date can hold were a 503 (RangeError) before; they are malformed tokens.
    ['malformed', () => claims({ exp: 1e300 })],
    ['malformed', () => claims({ exp: 253_402_300_800 })],
    ['malformed', () => claims({ nbf: 1e300 })],
    ['malformed', () => claims({ iat: -1 })],
    ['malformed', () => claims({ exp: '9999999999' })],
    ['malformed', () => claims({ sub: 'ali\ud800ce' })],
    ['reserved-subject', () => claims({ sub: 'aims:policy:auto-approval' })],
    ['reserved-subject', () => claims({ sub: ' AIMS:system' })],
  ])('given a token with a claim problem, when verified, then it is rejected as %s', async (reason, payload) => {
    expect(await rejection(new JwksJwtVerifier(config).verify(signJwt(rsa, payload()), NOW_MS))).toBe(reason);
  });

  it('given a token signed by a key the provider does not publish under that kid, when verified, then the signature fails', async () => {
    const impostor = newSigningKey('RS256', 'rsa-1');
    expect(await rejection(new JwksJwtVerifier(config).verify(signJwt(impostor, claims()), NOW_MS))).toBe('bad-signature');
  });

  it('given a tampered payload, when verified, then the signature fails', async () => {
    const [h, , s] = signJwt(rsa, claims()).split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify(claims({ roles: ['admin'] }))).toString('base64url')}.${s}`;
    expect(await rejection(new JwksJwtVerifier(config).verify(forged, NOW_MS))).toBe('bad-signature');
  });

  it('given alg none or an HMAC token, when verified, then the algorithm is refused', async () => {
    const payload = Buffer.from(JSON.stringify(claims())).toString('base64url');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    expect(await rejection(new JwksJwtVerifier(config).verify(none, NOW_MS))).toBe('unsupported-algorithm');
    const hsHeader = Buffer.from(JSON.stringify({ alg: 'HS256', kid: 'rsa-1' })).toString('base64url');
    const hs = `${hsHeader}.${payload}.${createHmac('sha256', 'secret').update(`${hsHeader}.${payload}`).digest('base64url')}`;
    expect(await rejection(new JwksJwtVerifier(config).verify(hs, NOW_MS))).toBe('unsupported-algorithm');
  });

  it('given garbage, when verified, then it is malformed', async () => {
    expect(await rejection(new JwksJwtVerifier(config).verify('a.b', NOW_MS))).toBe('malformed');
    expect(await rejection(new JwksJwtVerifier(config).verify('e30.bm90IGpzb24.c2ln', NOW_MS))).toBe('malformed');
  });

  it('given many tokens, when verified by one verifier, then the JWKS is fetched once and cached', async () => {
    const verifier = new JwksJwtVerifier(config);
    const before = server.fetches;
    for (let i = 0; i < 5; i++) await verifier.verify(signJwt(i % 2 ? rsa : ec, claims()), NOW_MS);
    expect(server.fetches - before).toBe(1);
  });

  it('given the provider rotates to a new key, when a token with the new kid arrives, then the JWKS is fetched again and it is accepted', async () => {
    const verifier = new JwksJwtVerifier(config, { minRefreshIntervalMs: 0 });
    await verifier.verify(signJwt(rsa, claims()), NOW_MS);
    const rotated = newSigningKey('RS256', 'rsa-2');
    server.publish([rotated, ec]);
    try {
      await expect(verifier.verify(signJwt(rotated, claims()), NOW_MS)).resolves.toMatchObject({ subject: 'user-42' });
      expect(await rejection(verifier.verify(signJwt({ ...rsa, kid: 'rsa-gone' }, claims()), NOW_MS))).toBe('unknown-key');
    } finally {
      server.publish([rsa, ec]);
    }
  });

  it('given an unreachable JWKS, when a token is verified, then it is rejected as jwks-unavailable', async () => {
    const verifier = new JwksJwtVerifier({ ...config, jwksUrl: 'http://127.0.0.1:1/jwks.json' }, { fetchTimeoutMs: 2000 });
    expect(await rejection(verifier.verify(signJwt(rsa, claims()), NOW_MS))).toBe('jwks-unavailable');
  });
});
