/** Console sign-in with an identity provider: AIMS_OIDC_* read and validated with the JWT settings it relies on. */
import { InvalidConfigurationError, loadConfig } from '../../infra/config/config';
import { oidcConnectOrigin } from '../../infra/config/oidc-config';

const jwtEnv = {
  AIMS_JWT_JWKS_URL: 'https://idp.example.com/realms/aims/protocol/openid-connect/certs',
  AIMS_JWT_ISSUER: 'https://idp.example.com/realms/aims',
  AIMS_JWT_AUDIENCE: 'https://aims.example.com/api',
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env, '/x');
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    return (error as InvalidConfigurationError).problems.map((p) => `${p.variable}: ${p.problem}`);
  }
  return [];
}

describe('AIMS_OIDC_*', () => {
  it('given no client id, when loaded, then the console takes pasted tokens only', () => {
    expect(loadConfig(jwtEnv, '/x').auth.oidc).toBeNull();
    expect(oidcConnectOrigin(null)).toBeNull();
  });

  it('given a client id with JWT validation, when loaded, then sign-in names the issuer, the audience and openid', () => {
    const config = loadConfig({ ...jwtEnv, AIMS_OIDC_CLIENT_ID: 'aims-console' }, '/x');
    expect(config.auth.oidc).toEqual({
      issuer: 'https://idp.example.com/realms/aims',
      clientId: 'aims-console',
      scopes: ['openid'],
      audience: 'https://aims.example.com/api',
    });
    expect(oidcConnectOrigin(config.auth.oidc)).toBe('https://idp.example.com');
  });

  it('given scopes, when loaded, then they are kept once each, in order', () => {
    const config = loadConfig({ ...jwtEnv, AIMS_OIDC_CLIENT_ID: 'aims-console', AIMS_OIDC_SCOPES: ' openid  profile aims openid ' }, '/x');
    expect(config.auth.oidc?.scopes).toEqual(['openid', 'profile', 'aims']);
  });

  it('given a client id without JWT validation, when loaded, then it is refused naming AIMS_JWT_ISSUER', () => {
    expect(problemsOf({ AIMS_OIDC_CLIENT_ID: 'aims-console' })).toEqual([
      'AIMS_OIDC_CLIENT_ID: needs AIMS_JWT_ISSUER, with AIMS_JWT_JWKS_URL and AIMS_JWT_AUDIENCE: the API must accept the tokens the identity provider issues the console',
    ]);
    expect(() => loadConfig({ AIMS_OIDC_CLIENT_ID: 'aims-console' }, '/x')).toThrow(
      /AIMS_OIDC_CLIENT_ID="aims-console": needs AIMS_JWT_ISSUER/,
    );
  });

  it('given an issuer the browser cannot use for discovery, when loaded with a client id, then it is refused', () => {
    for (const issuer of ['idp-issuer-name', 'http://idp.example.com', 'https://idp.example.com/?tenant=a']) {
      expect(problemsOf({ ...jwtEnv, AIMS_JWT_ISSUER: issuer, AIMS_OIDC_CLIENT_ID: 'aims-console' })).toEqual([
        expect.stringMatching(/^AIMS_JWT_ISSUER: must be an https URL \(plain http only to a loopback host\)/),
      ]);
    }
    // The same issuer is fine for JWT validation alone (an iss need not be a URL)…
    expect(loadConfig({ ...jwtEnv, AIMS_JWT_ISSUER: 'idp-issuer-name' }, '/x').auth.jwt?.issuer).toBe('idp-issuer-name');
    // …and plain http is fine on this machine.
    const local = loadConfig({ ...jwtEnv, AIMS_JWT_ISSUER: 'http://127.0.0.1:8080', AIMS_OIDC_CLIENT_ID: 'c' }, '/x');
    expect(oidcConnectOrigin(local.auth.oidc)).toBe('http://127.0.0.1:8080');
  });

  it('given scopes without openid, a malformed scope or client id, or scopes alone, when loaded, then each is refused', () => {
    expect(problemsOf({ ...jwtEnv, AIMS_OIDC_CLIENT_ID: 'aims-console', AIMS_OIDC_SCOPES: 'profile' })).toEqual([
      expect.stringMatching(/^AIMS_OIDC_SCOPES: must include openid/),
    ]);
    expect(problemsOf({ ...jwtEnv, AIMS_OIDC_CLIENT_ID: 'aims-console', AIMS_OIDC_SCOPES: 'openid "quoted"' })).toEqual([
      expect.stringMatching(/^AIMS_OIDC_SCOPES: ""quoted"" is not a scope token/),
    ]);
    expect(problemsOf({ ...jwtEnv, AIMS_OIDC_CLIENT_ID: 'aims console' })).toEqual([
      'AIMS_OIDC_CLIENT_ID: must be 1-256 printable characters without spaces',
    ]);
    expect(problemsOf({ ...jwtEnv, AIMS_OIDC_SCOPES: 'openid' })).toEqual([
      'AIMS_OIDC_SCOPES: applies to console sign-in: set AIMS_OIDC_CLIENT_ID too',
    ]);
  });
});
