/**
 * Console sign-in with the organisation's identity provider (issue 18): OpenID Connect authorization code
 * with PKCE, the console acting as a public client (no secret: a browser cannot keep one). The API only
 * tells the console which issuer and client to use (GET /v1/auth/oidc); the tokens it accepts are the JWTs
 * AIMS_JWT_* already validates, so the issuer must be that same issuer, reachable by the browser.
 */
import { isLoopbackHost } from './loopback';

interface ConfigProblem {
  variable: string;
  value: string | undefined;
  problem: string;
}

export interface OidcConfig {
  /** AIMS_JWT_ISSUER: discovery is `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  /** The console's client id at the identity provider. */
  clientId: string;
  /** Scopes the console asks for; always with `openid` (the ID token's nonce is checked). */
  scopes: string[];
  /** AIMS_JWT_AUDIENCE: the access token must be issued for the API. */
  audience: string;
}

export const OIDC_CONFIG_VARIABLES: ReadonlyArray<{ name: string; default: string; meaning: string }> = [
  {
    name: 'AIMS_OIDC_CLIENT_ID',
    default: '(unset: token sign-in only)',
    meaning:
      "The web console's client id at the identity provider (a public client: authorization code with PKCE, no secret, redirect URI `<console origin>/auth/callback`); when set, the sign-in page offers the identity provider besides the API token (needs AIMS_JWT_* with an https AIMS_JWT_ISSUER).",
  },
  {
    name: 'AIMS_OIDC_SCOPES',
    default: 'openid',
    meaning:
      'Scopes the console asks the identity provider for, space-separated; must include `openid`. The access token it gets must be a JWT for AIMS_JWT_AUDIENCE carrying the roles claim.',
  },
];

const CLIENT_ID = /^[\x21-\x7e]{1,256}$/;
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** `jwt`: the JWT validation settings read before (null when AIMS_JWT_JWKS_URL is unset). */
export function readOidcConfig(
  env: NodeJS.ProcessEnv,
  jwt: { issuer: string; audience: string } | null,
  problems: ConfigProblem[],
): OidcConfig | null {
  const clientId = env.AIMS_OIDC_CLIENT_ID?.trim() || undefined;
  const scopesRaw = env.AIMS_OIDC_SCOPES?.trim() || undefined;
  if (clientId === undefined) {
    if (scopesRaw !== undefined)
      problems.push({ variable: 'AIMS_OIDC_SCOPES', value: scopesRaw, problem: 'applies to console sign-in: set AIMS_OIDC_CLIENT_ID too' });
    return null;
  }
  if (!CLIENT_ID.test(clientId)) {
    problems.push({ variable: 'AIMS_OIDC_CLIENT_ID', value: clientId, problem: 'must be 1-256 printable characters without spaces' });
  }
  const scopes = (scopesRaw ?? 'openid').split(/\s+/);
  const badScope = scopes.find((s) => !SCOPE.test(s));
  if (badScope !== undefined) {
    problems.push({ variable: 'AIMS_OIDC_SCOPES', value: scopesRaw, problem: `"${badScope}" is not a scope token (RFC 6749 §3.3)` });
  } else if (!scopes.includes('openid')) {
    problems.push({
      variable: 'AIMS_OIDC_SCOPES',
      value: scopesRaw,
      problem: 'must include openid (the console checks the ID token it brings back against the sign-in it started)',
    });
  }
  if (jwt === null || jwt.issuer === '') {
    // Without JWT validation the API would refuse every token the identity provider hands the console.
    problems.push({
      variable: 'AIMS_OIDC_CLIENT_ID',
      value: clientId,
      problem:
        'needs AIMS_JWT_ISSUER, with AIMS_JWT_JWKS_URL and AIMS_JWT_AUDIENCE: the API must accept the tokens the identity provider issues the console',
    });
    return null;
  }
  if (!isBrowserReachableIssuer(jwt.issuer)) {
    problems.push({
      variable: 'AIMS_JWT_ISSUER',
      value: jwt.issuer,
      problem:
        'must be an https URL (plain http only to a loopback host) without query or fragment when AIMS_OIDC_CLIENT_ID is set: the console discovers the identity provider at <issuer>/.well-known/openid-configuration',
    });
    return null;
  }
  return { issuer: jwt.issuer, clientId, scopes: [...new Set(scopes)], audience: jwt.audience };
}

function isBrowserReachableIssuer(issuer: string): boolean {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return false;
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** The origin the console's Content-Security-Policy lets it reach besides its own (discovery, token endpoint). */
export function oidcConnectOrigin(oidc: OidcConfig | null): string | null {
  return oidc === null ? null : new URL(oidc.issuer).origin;
}
