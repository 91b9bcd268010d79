import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_VARIABLES, InvalidConfigurationError, loadConfig, temporalAddress } from '../../infra/config/config';

describe('configuration', () => {
  it('given no variables, when loaded, then the embedded defaults apply', () => {
    const config = loadConfig({}, '/srv/aims');
    expect(config.dataDir).toBe('/srv/aims/data');
    expect(config.eventStoreUrl).toBe('sqlite:/srv/aims/data/evidence.db');
    expect(config.api).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(config.temporal.address).toBeUndefined();
    expect(temporalAddress(config)).toBe('127.0.0.1:7233');
  });

  it('given AIMS_EVENT_STORE_MIGRATE, when loaded, then false turns migration on start off and anything but true/false is refused', () => {
    expect(loadConfig({}, '/x').eventStoreMigrate).toBe(true);
    expect(loadConfig({ AIMS_EVENT_STORE_MIGRATE: 'false' }, '/x').eventStoreMigrate).toBe(false);
    expect(loadConfig({ AIMS_EVENT_STORE_MIGRATE: 'true' }, '/x').eventStoreMigrate).toBe(true);
    expect(() => loadConfig({ AIMS_EVENT_STORE_MIGRATE: 'never' }, '/x')).toThrow(
      /AIMS_EVENT_STORE_MIGRATE="never": must be true or false/,
    );
  });

  it('given TEMPORAL_ADDRESS, when loaded, then the cluster is used instead of the embedded server', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_NAMESPACE: 'aims-prod', TEMPORAL_TLS: 'true' }, '/x');
    expect(temporalAddress(config)).toBe('temporal.internal:7233');
    expect(config.temporal.namespace).toBe('aims-prod');
    expect(config.temporal.tls).toBe(true);
  });

  it('given several mistakes, when loaded, then one error names every variable at fault', () => {
    let error: unknown;
    try {
      loadConfig(
        { AIMS_API_PORT: 'eighty', TEMPORAL_ADDRESS: 'no-port', AIMS_EVENT_STORE_URL: 'mysql://x', TEMPORAL_TLS_CERT_PATH: '/c.pem' },
        '/x',
      );
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    const variables = (error as InvalidConfigurationError).problems.map((p) => p.variable);
    expect(variables).toEqual(
      expect.arrayContaining(['AIMS_API_PORT', 'TEMPORAL_ADDRESS', 'AIMS_EVENT_STORE_URL', 'TEMPORAL_TLS_CERT_PATH/TEMPORAL_TLS_KEY_PATH']),
    );
    expect((error as Error).message).toContain('AIMS_API_PORT="eighty": must be a whole number from 1 to 65535');
  });

  it('given TLS settings without a cluster address, when loaded, then it is refused', () => {
    expect(() => loadConfig({ TEMPORAL_API_KEY: 'k' }, '/x')).toThrow(/set TEMPORAL_ADDRESS too/);
  });

  it('given the API port equal to the dev server port, when loaded, then the collision is reported', () => {
    expect(() => loadConfig({ AIMS_API_PORT: '7233' }, '/x')).toThrow(/collides with the embedded Temporal server/);
  });
  it('given no JWT variables, when loaded, then only API tokens are accepted', () => {
    expect(loadConfig({}, '/x').auth).toEqual({ jwt: null, oidc: null });
  });

  it('given a JWKS URL with issuer and audience, when loaded, then JWT validation is configured with the default roles claim', () => {
    const config = loadConfig(
      { AIMS_JWT_JWKS_URL: 'https://idp.example.com/jwks.json', AIMS_JWT_ISSUER: 'https://idp.example.com/', AIMS_JWT_AUDIENCE: 'aims' },
      '/x',
    );
    expect(config.auth.jwt).toEqual({
      jwksUrl: 'https://idp.example.com/jwks.json',
      issuer: 'https://idp.example.com/',
      audience: 'aims',
      rolesClaim: 'roles',
      rolePrefix: 'aims:',
      roleMap: {},
    });
  });

  const jwtEnv = { AIMS_JWT_ISSUER: 'https://idp/', AIMS_JWT_AUDIENCE: 'aims' };

  it('given a plain-http JWKS URL, when loaded, then it is refused unless the host is loopback', () => {
    expect(() => loadConfig({ ...jwtEnv, AIMS_JWT_JWKS_URL: 'http://idp.example.com/jwks' }, '/x')).toThrow(
      /AIMS_JWT_JWKS_URL=.*must be https/,
    );
    for (const url of ['http://127.0.0.1:8080/jwks', 'http://localhost/jwks', 'http://[::1]:9/jwks']) {
      expect(loadConfig({ ...jwtEnv, AIMS_JWT_JWKS_URL: url }, '/x').auth.jwt?.jwksUrl).toBe(url);
    }
  });

  it('given a role prefix and a role map, when loaded, then both are read; a map entry without an AIMS role is refused', () => {
    const jwt = loadConfig(
      {
        ...jwtEnv,
        AIMS_JWT_JWKS_URL: 'https://idp/jwks',
        AIMS_JWT_ROLE_PREFIX: 'none',
        AIMS_JWT_ROLE_MAP: 'grc-approvers=approver, grc-approvers=risk_owner,__proto__=admin',
      },
      '/x',
    ).auth.jwt;
    expect(jwt?.rolePrefix).toBeNull();
    expect(jwt?.roleMap['grc-approvers']).toEqual(['approver', 'risk_owner']);
    expect(Object.prototype.hasOwnProperty.call(jwt?.roleMap, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(() => loadConfig({ ...jwtEnv, AIMS_JWT_JWKS_URL: 'https://idp/jwks', AIMS_JWT_ROLE_MAP: 'ops=superuser' }, '/x')).toThrow(
      /AIMS_JWT_ROLE_MAP.*"ops=superuser" is not idp-role=aims-role/,
    );
  });

  it('given no edge variables, when loaded, then no proxy is trusted, 20 failures a minute, 2 verifications at once, no HSTS', () => {
    expect(loadConfig({}, '/x').edge).toEqual({
      trustProxy: false,
      authFailures: { max: 20, windowMs: 60_000 },
      verifyMaxConcurrent: 2,
      hstsMaxAgeSeconds: 0,
      consoleDir: path.resolve(__dirname, '../../dist/console'),
    });
  });

  it('given edge variables, when loaded, then they are read; `true` for the proxy and nonsense are refused by name', () => {
    const edge = loadConfig(
      {
        AIMS_TRUST_PROXY: 'loopback, 10.0.0.0/8',
        AIMS_THROTTLE_AUTH_FAILURES: '5/30',
        AIMS_VERIFY_MAX_CONCURRENT: '1',
        AIMS_API_HSTS_MAX_AGE: '31536000',
        AIMS_CONSOLE_DIR: 'web',
      },
      '/x',
    ).edge;
    expect(edge).toEqual({
      trustProxy: ['loopback', '10.0.0.0/8'],
      authFailures: { max: 5, windowMs: 30_000 },
      verifyMaxConcurrent: 1,
      hstsMaxAgeSeconds: 31_536_000,
      consoleDir: '/x/web',
    });
    expect(loadConfig({ AIMS_CONSOLE_DIR: 'off' }, '/x').edge.consoleDir).toBeNull();
    expect(loadConfig({ AIMS_TRUST_PROXY: '2' }, '/x').edge.trustProxy).toBe(2);
    let error: unknown;
    try {
      loadConfig(
        { AIMS_TRUST_PROXY: 'true', AIMS_THROTTLE_AUTH_FAILURES: '0', AIMS_VERIFY_MAX_CONCURRENT: 'x', AIMS_API_HSTS_MAX_AGE: '-1' },
        '/x',
      );
    } catch (err) {
      error = err;
    }
    expect((error as InvalidConfigurationError).problems.map((p) => p.variable)).toEqual([
      'AIMS_TRUST_PROXY',
      'AIMS_THROTTLE_AUTH_FAILURES',
      'AIMS_VERIFY_MAX_CONCURRENT',
      'AIMS_API_HSTS_MAX_AGE',
    ]);
  });

  it('given a JWKS URL without issuer and audience, or an issuer alone, when loaded, then each gap is named', () => {
    expect(() => loadConfig({ AIMS_JWT_JWKS_URL: 'https://idp/jwks' }, '/x')).toThrow(
      /AIMS_JWT_ISSUER: is required[\s\S]*AIMS_JWT_AUDIENCE: is required/,
    );
    expect(() => loadConfig({ AIMS_JWT_ISSUER: 'https://idp/' }, '/x')).toThrow(
      /AIMS_JWT_ISSUER="https:\/\/idp\/": applies to JWT validation/,
    );
  });

  it('given a JWKS URL that is not http(s) or a malformed roles claim, when loaded, then both are reported', () => {
    let error: unknown;
    try {
      loadConfig(
        { AIMS_JWT_JWKS_URL: 'file:///etc/jwks', AIMS_JWT_ISSUER: 'i', AIMS_JWT_AUDIENCE: 'a', AIMS_JWT_ROLES_CLAIM: 'a..b' },
        '/x',
      );
    } catch (err) {
      error = err;
    }
    expect((error as InvalidConfigurationError).problems.map((p) => p.variable)).toEqual(['AIMS_JWT_ROLES_CLAIM', 'AIMS_JWT_JWKS_URL']);
  });

  it('given the README, when read, then its configuration table names every variable the engine reads', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    for (const variable of CONFIG_VARIABLES) expect(readme).toContain(`\`${variable.name}\``);
  });
});
