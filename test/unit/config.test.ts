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
    expect(loadConfig({}, '/x').auth).toEqual({ jwt: null });
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
    });
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
